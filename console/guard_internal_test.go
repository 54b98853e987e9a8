// SPDX-License-Identifier: Apache-2.0

package console

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// An attacker who tries ever new addresses and names churns the guard's
// maps but never grows them past guardEntries.
func TestGuardMemoryIsBounded(t *testing.T) {
	g := newLoginGuard(time.Second)
	now := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	for i := range 3 * guardEntries {
		a, err := g.begin(context.Background(), fmt.Sprintf("name-%d", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		a.done(i%2 == 0, now)
	}
	if n, m, u := g.addrs.len(), g.pairs.len(), g.usual.len(); n > guardEntries || m > guardEntries || u > guardEntries {
		t.Errorf("after %d attempts the maps hold %d addresses, %d pairs, %d usual addresses; want at most %d each",
			3*guardEntries, n, m, u, guardEntries)
	}
}
