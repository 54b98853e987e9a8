// SPDX-License-Identifier: Apache-2.0

package config

import "strings"

// nearest returns the known key beside path whose name is closest to path's,
// if it is close enough to be a typo, or "".
func nearest(path string, keys []key) string {
	prefix, name := parent(path), leaf(path)
	best, bestDist := "", 3
	for _, k := range keys {
		rest := k.path
		if prefix != "" {
			if !strings.HasPrefix(rest, prefix+".") {
				continue
			}
			rest = rest[len(prefix)+1:]
		}
		candidate, _, _ := strings.Cut(rest, ".")
		if d := distance(name, candidate); d < bestDist && 3*d <= len(candidate) {
			best, bestDist = candidate, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			prev, row[j] = row[j], min(row[j]+1, row[j-1]+1, prev+cost)
		}
	}
	return row[len(b)]
}
