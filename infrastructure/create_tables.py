"""Create every table of the app (keys, GSIs, streams, TTL) on any DynamoDB endpoint.

    python -m infrastructure.create_tables --endpoint http://127.0.0.1:8001 --prefix incident-dev

Without ``--endpoint`` it uses the AWS account of the current credentials (on AWS the
CloudFormation template creates the tables; this is for DynamoDB Local and moto).
"""

from __future__ import annotations

import argparse

from infrastructure import table_target


def main() -> None:
    """Parse arguments, bind the models and create what is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    table_target.add_arguments(parser)
    table_target.apply(parser.parse_args())

    from chalicelib import tables

    created = tables.create_all()
    for model in tables.MODELS:
        state = "created" if model.Meta.table_name in created else "exists"
        print(f"{model.Meta.table_name}: {state}")


if __name__ == "__main__":
    main()
