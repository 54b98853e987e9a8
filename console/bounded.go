// SPDX-License-Identifier: Apache-2.0

package console

import "container/list"

// boundedMap maps strings to values and holds at most max of them: adding
// one more evicts the least recently used. The sign-in guard keys it by
// what an anonymous client sends (its address, the names it tries), so an
// attacker can make it churn but never grow. Not safe for concurrent use.
type boundedMap[V any] struct {
	max   int
	order *list.List // of *boundedEntry[V], most recently used first
	byKey map[string]*list.Element
}

type boundedEntry[V any] struct {
	key string
	val V
}

func newBoundedMap[V any](max int) *boundedMap[V] {
	return &boundedMap[V]{max: max, order: list.New(), byKey: make(map[string]*list.Element)}
}

// get returns the value of key, marking it used; ok is false if there is
// none.
func (m *boundedMap[V]) get(key string) (v *V, ok bool) {
	e, ok := m.byKey[key]
	if !ok {
		return nil, false
	}
	m.order.MoveToFront(e)
	return &e.Value.(*boundedEntry[V]).val, true
}

// put returns the value of key, adding a zero value (and evicting the least
// recently used entry if the map is full) when there is none.
func (m *boundedMap[V]) put(key string) *V {
	if v, ok := m.get(key); ok {
		return v
	}
	if m.order.Len() >= m.max {
		oldest := m.order.Back()
		m.order.Remove(oldest)
		delete(m.byKey, oldest.Value.(*boundedEntry[V]).key)
	}
	e := m.order.PushFront(&boundedEntry[V]{key: key})
	m.byKey[key] = e
	return &e.Value.(*boundedEntry[V]).val
}

// delete removes key, if present.
func (m *boundedMap[V]) delete(key string) {
	if e, ok := m.byKey[key]; ok {
		m.order.Remove(e)
		delete(m.byKey, key)
	}
}

// len is the number of entries.
func (m *boundedMap[V]) len() int { return m.order.Len() }
