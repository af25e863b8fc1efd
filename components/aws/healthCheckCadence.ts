/**
 * The API's standing health check on AWS (healthCheck.ts), as Google's uptime check is on Cloud Run: once a minute,
 * `GET /health` of the API's live alias. Its alarm (alarms.ts) pages after 3 failed checks in a row, the runbook's
 * "health fails 3 times", and the dashboard draws the checks a minute at a time. Apart from healthCheck.ts, so the
 * dashboard's body (a pure function the picture draws) does not load the provider's modules.
 */
export const HEALTH_CHECK = { everySeconds: 60, failedInARow: 3, answerWithinSeconds: 10 } as const;
