// SPDX-License-Identifier: Apache-2.0

package telegramtest

import (
	"encoding/json"
	"fmt"
)

// PushRaw queues an update made of the JSON object fields, as it is, with a
// fresh update_id (one in fields is replaced), and returns the id: a way to
// send what no client library would decode, such as {"message":"oops"}. It
// returns an error if fields is not a JSON object.
func (s *Server) PushRaw(fields string) (int64, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(fields), &raw); err != nil || raw == nil {
		return 0, fmt.Errorf("telegramtest: an update must be a JSON object: %q", fields)
	}
	body := make(map[string]any, len(raw)+1)
	for k, v := range raw {
		body[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpd++
	id := s.nextUpd
	body["update_id"] = id
	s.updates = append(s.updates, update{id: id, body: body})
	s.notify()
	return id, nil
}
