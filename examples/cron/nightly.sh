#!/bin/sh
# /srv/regtrack/nightly.sh: one night, on a server whose web server serves the site folder
# (`out` in regtrack.toml, e.g. /var/www/regressions) straight from disk. The site is
# replaced atomically, so it can be served while this runs.
set -eu
cd /srv/regtrack
./fetch-results.sh "results/$(date -u +%F)"
# Wait up to ten minutes for a build still running (a slow night), then give up.
regtrack build --config regtrack.toml --lock-wait 600
# Results past the 30-day window are no longer read; delete them when the disk asks for it.
find results -mindepth 1 -maxdepth 1 -type d -mtime +400 -exec rm -rf {} +
