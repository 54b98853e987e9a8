// SPDX-License-Identifier: Apache-2.0

package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// mergedRange is a merged range of cells, from 1 as in A1 names.
type mergedRange struct{ col0, row0, col1, row1 int }

// mergeRef matches a merged range in a sheet's XML, with or without a
// namespace prefix: <mergeCell ref="A2:B2"/>.
var mergeRef = regexp.MustCompile(`<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*\bref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"`)

// sheetMerges returns a sheet's merged ranges, read from the part of the
// sheet's XML after its cells (excelize's GetMergeCells would parse every
// cell of a 100,000-row sheet once more).
func sheetMerges(file, sheet string) ([]mergedRange, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	part, err := sheetPart(&z.Reader, sheet)
	if err != nil {
		return nil, err
	}
	data, err := readPart(&z.Reader, part)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(data, []byte("mergeCells"))
	if i < 0 {
		return nil, nil
	}
	var ms []mergedRange
	for _, m := range mergeRef.FindAllSubmatch(data[i:], -1) {
		c0, r0, err0 := excelize.CellNameToCoordinates(string(m[1]))
		c1, r1, err1 := excelize.CellNameToCoordinates(string(m[2]))
		if err0 != nil || err1 != nil {
			return nil, fmt.Errorf("merged cells %s:%s: not a range", m[1], m[2])
		}
		ms = append(ms, mergedRange{c0, r0, c1, r1})
	}
	return ms, nil
}

// sheetPart returns the name of the zip part that holds sheet.
func sheetPart(z *zip.Reader, sheet string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		data, err := readPart(z, name)
		if err != nil {
			return "", err
		}
		if err := xml.Unmarshal(data, v); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}
	for _, s := range wb.Sheets {
		if !strings.EqualFold(s.Name, sheet) {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				if strings.HasPrefix(r.Target, "/") {
					return strings.TrimPrefix(r.Target, "/"), nil
				}
				return path.Join("xl", r.Target), nil
			}
		}
	}
	return "", fmt.Errorf("no part holds the sheet %q", sheet)
}

// readPart returns the bytes of a zip part.
func readPart(z *zip.Reader, name string) ([]byte, error) {
	f, err := z.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	return io.ReadAll(f)
}
