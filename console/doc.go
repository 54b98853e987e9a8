// SPDX-License-Identifier: Apache-2.0

// Package console is the staff web console (server-rendered, Vietnamese) and
// the JSON API under /api/v1: sign-in, sessions and API tokens, the
// department work queue, ticket pages and actions, the operator's form and
// the manager's dashboard. Authorisation is checked on the server for every
// page and API call.
//
// It imports tickets and the standard library (and golang.org/x/crypto for
// password hashing), never another wing: what it needs of the reports or of
// the store it declares itself, and cmd/hotline wires.
package console
