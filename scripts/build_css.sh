#!/bin/sh
# Rebuilds static/css/oscar-public.css and oscar-shop.css: Oscar's stylesheet trimmed to what our pages use (PurgeCSS, npm).
# Run after changing templates' classes or upgrading django-oscar, then commit them:
#   sh scripts/build_css.sh
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OSCAR=$("$PY" -c 'import os, oscar; print(os.path.dirname(oscar.__file__))')
npm ci --prefix scripts/css --no-audit --no-fund --silent
node scripts/css/build.mjs "$OSCAR" "$PWD"
