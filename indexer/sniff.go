package indexer

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// actualFormat names what a file that failed to parse as its extension says
// really holds, for the error staff read: "an old Office file (.doc ...)",
// "a PDF file". It returns "" when the content is of no format it knows.
func actualFormat(b []byte) string {
	head := b[:min(len(b), 512)]
	switch {
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		// OLE2 compound file: Word 97-2003 .doc, Excel .xls, PowerPoint .ppt.
		return "an old Office file (.doc, .xls or .ppt from Office 97-2003)"
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return "an RTF file"
	case pdfHeader(b) >= 0:
		return "a PDF file"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		switch {
		case bytes.Contains(b[:min(len(b), 4096)], []byte("xl/")):
			return "an Excel .xlsx file"
		case bytes.Contains(b[:min(len(b), 4096)], []byte("ppt/")):
			return "a PowerPoint .pptx file"
		case bytes.Contains(head, []byte("application/vnd.oasis.opendocument")):
			return "an OpenDocument file"
		}
		return "a zip archive"
	}
	switch t := http.DetectContentType(head); {
	case strings.HasPrefix(t, "text/html"):
		return "an HTML page"
	case strings.HasPrefix(t, "text/plain"):
		return "plain text"
	case strings.HasPrefix(t, "image/"):
		return "an image (" + strings.TrimPrefix(t, "image/") + ")"
	}
	return ""
}

// isNot is the error for a file that is not of the format its extension
// says: "docx: not a DOCX file: it is a PDF file", or, when the content is
// of no format actualFormat knows, the reader's own reason.
func isNot(format string, b []byte, reason string) error {
	if f := actualFormat(b); f != "" {
		return fmt.Errorf("%s: not a %s file: it is %s", strings.ToLower(format), format, f)
	}
	return fmt.Errorf("%s: not a %s file (%s)", strings.ToLower(format), format, reason)
}
