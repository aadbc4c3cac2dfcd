#!/usr/bin/env sh
# How vendor/mqtt.esm.js was obtained, and how to get it again (or check the committed copy):
# mqtt.js 5.16.0's own browser build, unchanged, from the npm package. The page imports it from this
# folder, so nothing is loaded from a CDN when it runs. Needs npm (Node.js); run from any directory.
#
#   sh vendor/get-mqtt.sh          # downloads mqtt@5.16.0 and replaces vendor/mqtt.esm.js and vendor/mqtt-LICENSE.md
#
# The SHA-256 below is that of dist/mqtt.esm.js in mqtt-5.16.0.tgz (npm integrity of the tarball:
# sha512-G0VsEtuJz5sJUgZJaaADMVfW7SIFPzkIuHR+d6rk+tBeSwdCfd9BaIRycRfd2AbyFDEmLlFM+SDQeti/+IbOnw==, as
# `npm view mqtt@5.16.0 dist.integrity` prints it); the script refuses a file that differs.
set -eu
VERSION=5.16.0
SHA256=6e009e77fc644cbf7b46ea37ba77fbdaf5780452389a57f2b4a676437c2defdd
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "mqtt@$VERSION" >/dev/null && tar xzf "mqtt-$VERSION.tgz")
echo "$SHA256  $work/package/dist/mqtt.esm.js" | sha256sum -c - >/dev/null
cp "$work/package/dist/mqtt.esm.js" "$here/mqtt.esm.js"
cp "$work/package/LICENSE.md" "$here/mqtt-LICENSE.md"
echo "vendor/mqtt.esm.js is mqtt.js $VERSION's dist/mqtt.esm.js (sha256 $SHA256)"
