package site

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 description of the JSON API.
//
//go:embed openapi.json
var openAPI []byte

// apiOpenAPI serves the OpenAPI description of the API.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPI)
	return nil
}
