"""Which DynamoDB tables an administrator's command works on: ``--endpoint`` (DynamoDB Local;
default the AWS account of the current credentials), ``--prefix`` and ``--region`` — set in the
environment before the app's settings are read."""

from __future__ import annotations

import argparse
import os


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", help="DynamoDB endpoint URL (DynamoDB Local, moto); default: the AWS account")
    parser.add_argument("--prefix", default=os.environ.get("TABLE_PREFIX", "incident-dev"))
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))


def apply(args: argparse.Namespace) -> None:
    if args.endpoint:
        os.environ["DYNAMODB_ENDPOINT"] = args.endpoint
    os.environ["TABLE_PREFIX"] = args.prefix
    os.environ["AWS_REGION"] = args.region
