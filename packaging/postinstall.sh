#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# hotline's postinst: the system user the unit runs as, and the folder of
# secrets. The service is not started: configure it first (operations.md),
# then "systemctl enable --now hotline". DPKG_ROOT is set when dpkg installs
# into another root (as the package's test does).
set -e
root="${DPKG_ROOT:-}"
if ! grep -q '^hotline:' "$root/etc/passwd" 2>/dev/null; then
	if [ -n "$root" ]; then
		useradd --prefix "$root" --system --user-group --home-dir /var/lib/hotline --no-create-home --shell /usr/sbin/nologin hotline
	else
		useradd --system --user-group --home-dir /var/lib/hotline --no-create-home --shell /usr/sbin/nologin hotline
	fi
fi
install -d -m 0700 "$root/etc/hotline/credentials"
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
fi
