/**
 * Loaded before Pulumi's runner by Pulumi.yaml's nodeargs (`--require`; pulumi-language-nodejs passes nodeargs to node
 * ahead of the runner, in the project's folder: pulumi/pulumi sdk/go/common/resource/plugin/plugin.go runs the language
 * host there). The Node SDK opens its gRPC channel to the engine, at 127.0.0.1, when it registers the stack, before
 * program.js runs (runtime/stack.js Stack), and @grpc/grpc-js sends it to a lowercase https_proxy or http_proxy unless
 * no_proxy names loopback (pulumi/pulumi#18911: "14 UNAVAILABLE"). This sets gRPC's own variables first.
 */
"use strict";
require("./proxyFromEnvironment").useGrpcProxyFromEnvironment(process.env);
