#!/usr/bin/env bash
# Installs everything tinygrad_edu needs on a fresh Debian/Ubuntu machine, as root.
# Safe to run again: it installs only what is missing.
#   apt: graphviz (the `dot` program), dataset-fashion-mnist (the data), libjs-katex (offline
#        math for the lessons), chromium (the lessons' rendering test), fonts-noto-cjk (the
#        zh-TW lessons), python3-venv;
#   then a virtualenv .venv with PyTorch's CPU build (a test referee, and lesson 9's
#   subject; pip takes it from a local wheel where one is on its find-links path, else from PyPI)
#   and the package with all its extras ('.[all]').
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

apt_packages=(graphviz dataset-fashion-mnist chromium libjs-katex python3-venv python3-pip fonts-dejavu-core
              fonts-noto-cjk)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: apt-get install ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
.venv/bin/python -c "import torch" 2>/dev/null || "${pip[@]}" torch==2.13.0
"${pip[@]}" -e '.[all]'
echo "setup: ready ($(.venv/bin/python --version), $(dot -V 2>&1))"
