"""Create every table of the app (keys, GSIs, streams, TTL) on any DynamoDB endpoint.

    python -m infrastructure.create_tables --endpoint http://127.0.0.1:8001 --prefix incident-dev

Without ``--endpoint`` it uses the AWS account of the current credentials (on AWS the
CloudFormation template creates the tables; this is for DynamoDB Local and moto).
"""

from __future__ import annotations

import argparse
import os


def main() -> None:
    """Parse arguments, bind the models and create what is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", help="DynamoDB endpoint URL (DynamoDB Local, moto)")
    parser.add_argument("--prefix", default=os.environ.get("TABLE_PREFIX", "incident-dev"))
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    args = parser.parse_args()
    if args.endpoint:
        os.environ["DYNAMODB_ENDPOINT"] = args.endpoint
    os.environ["TABLE_PREFIX"] = args.prefix
    os.environ["AWS_REGION"] = args.region

    from chalicelib import tables

    created = tables.create_all()
    for model in tables.MODELS:
        state = "created" if model.Meta.table_name in created else "exists"
        print(f"{model.Meta.table_name}: {state}")


if __name__ == "__main__":
    main()
