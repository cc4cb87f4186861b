#!/usr/bin/env bash
# Build the SPA against a deployed stack and publish it to the stack's CloudFront distribution.
#   bash infrastructure/publish-spa.sh <stack name>        (or: make publish-spa STACK=<stack name>)
# Needs the AWS CLI with credentials for the stack's account/region, node/npm.
set -euo pipefail
STACK="${1:?usage: publish-spa.sh <stack name>}"
cd "$(dirname "$0")/.."

output() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
API_BASE_URL="$(output ApiBaseUrl)"
WS_URL="$(output WebsocketUrl)"
BUCKET="$(output SpaBucketName)"
DISTRIBUTION="$(output SpaDistributionId)"
SPA_URL="$(output SpaUrl)"
for value in "$API_BASE_URL" "$WS_URL" "$BUCKET" "$DISTRIBUTION"; do
  [[ -n "$value" && "$value" != "None" ]] || { echo "stack $STACK lacks an output (deployed with infrastructure/template.yaml?)" >&2; exit 1; }
done

echo "building the SPA for API $API_BASE_URL and WebSocket $WS_URL"
(cd frontend && VITE_API_BASE_URL="$API_BASE_URL" VITE_WS_URL="$WS_URL" npm run build --silent)

# Hashed assets are immutable; index.html (and anything unhashed) must be revalidated.
aws s3 sync frontend/dist/assets "s3://$BUCKET/assets" --delete \
  --cache-control "public, max-age=31536000, immutable"
aws s3 sync frontend/dist "s3://$BUCKET" --delete --exclude "assets/*" \
  --cache-control "no-cache"
# the PWA manifest's type (s3 sync guesses binary/octet-stream for .webmanifest)
aws s3 cp frontend/dist/manifest.webmanifest "s3://$BUCKET/manifest.webmanifest" \
  --cache-control "no-cache" --content-type "application/manifest+json"
aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" --paths "/index.html" "/" "/sw.js" "/manifest.webmanifest" >/dev/null
echo "published: $SPA_URL"
