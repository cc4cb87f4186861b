"""Package the app for CloudFormation: ``python -m infrastructure.package --stage dev --origin https://...``.

1. Builds the merge template: ``infrastructure/template.yaml`` plus what is derived from the
   code so it cannot drift —
   * one DynamoDB table per registered pynamodb model (keys, GSIs/LSIs, stream, TTL, PITR,
     on-demand), named ``${TablePrefix}-<logical name>``;
   * one least-privilege IAM policy per function (:data:`ACCESS`), replacing the policy file
     Chalice puts on each role (``autogen_policy: false`` in ``.chalice/config.json``);
   * the environment of every function: every setting ``chalicelib.core.settings`` reads,
     from a template parameter/resource or the code's default.
2. Runs ``chalice package --merge-template <that> --stage <stage> <out>`` with
   ``CORS_ALLOW_ORIGIN=<origin>`` (the REST API's CORS headers are fixed at package time).
3. Checks the result (every role's policy replaced, no placeholder ARN left) and prints
   what to run next. ``<out>/sam.json`` + ``<out>/deployment.zip`` go to
   ``aws cloudformation package`` / ``deploy``.

Development-only code: nothing under ``infrastructure/`` is packaged into the Lambda zip.
"""

# Modules: ``tables`` (one table resource per model), ``iam`` (one policy per function),
# ``environment`` (every function's environment from the settings declaration), ``build``
# (merge template, ``chalice package``, checks, CLI).
