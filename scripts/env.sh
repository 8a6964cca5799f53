# Sourced by the scripts: one cargo target folder for the CLI, the app and the tests.
# A folder outside the clone (under /var/tmp) survives clean clones and makes later runs fast;
# when it does not exist yet it is created, and the first run is just slower.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/papertrail-target}"
export PAPERTRAIL_APP_TARGET="${PAPERTRAIL_APP_TARGET:-$CARGO_TARGET_DIR}"
