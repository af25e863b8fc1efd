"""Both multicloud components with dev-like settings, through the SDK `pulumi package add` generated."""
import os

import pulumi
import pulumi_multicloud as multicloud

stack = pulumi.get_stack()
aws_config = pulumi.Config("aws")
gcp_config = pulumi.Config("gcp")
app = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "app"))
labels = {"project": "multicloud-python-example", "environment": stack, "managed-by": "pulumi"}
service = {
    "cache_max_entries": 10000,
    "cache_ttl_seconds": 3600,
    "batch_size": 100,
    "retention_days": 30,
    "admin_features": True,
    "debug": True,
    "log_level": "debug",
}

pipeline = multicloud.LambdaEcrPipeline(
    "pipeline",
    environment=stack,
    region=aws_config.require("region"),
    is_production=False,
    tags=labels,
    image={"build": {"context": app}},
    architecture="arm64",
    memory_mb=512,
    timeout_seconds=30,
    function_url={"auth_type": "AWS_IAM", "cors_origins": []},
    service=service,
    pipeline={"max_concurrency": 5},
    alarms={"error_rate_percent": 5, "p95_duration_ms": 2000},
    images_to_keep=5,
)

cloud_run = multicloud.CloudRunGcsService(
    "service",
    environment=stack,
    is_production=False,
    project=gcp_config.require("project"),
    region=gcp_config.require("region"),
    labels=labels,
    image={"build": {"context": app}},
    cpu="1",
    memory="512Mi",
    min_instances=0,
    max_instances=2,
    concurrency=80,
    request_timeout_seconds=60,
    ingress="all",
    public_invoker=False,
    service=service,
    alerts={"error_rate_percent": 5, "p95_latency_ms": 2000},
    images_to_keep=5,
)

pulumi.export("apiUrl", pipeline.api_url)
pulumi.export("serviceUrl", cloud_run.service_url)
pulumi.export("awsAdminToken", pipeline.admin_token)
