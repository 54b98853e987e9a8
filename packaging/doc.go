// SPDX-License-Identifier: Apache-2.0

// Package packaging holds no code: it is the Debian package's files (nfpm
// configuration, systemd unit, default config, postinst) and the tests that
// build the package, install it into a throw-away root, check the unit, and
// run the installed binary alone and behind nginx as docs/ tells operators
// to.
package packaging
