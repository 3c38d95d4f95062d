package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/archivio/archivio/indexer"
)

// TestGracefulShutdown starts the real binary, begins a request, sends
// SIGTERM, and checks that the request still gets its answer and that the
// process then exits cleanly.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "archivio")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	corpus := filepath.Join(dir, "corpus")
	os.MkdirAll(corpus, 0o755)
	for i := range 5 {
		body := fmt.Sprintf("---\ntitle: Digital report %d\nkind: page\n---\nDigital public services, report number %d.\n", i, i)
		if err := os.WriteFile(filepath.Join(corpus, fmt.Sprintf("r%d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A document whose JSON is larger than the socket buffers: the server
	// cannot finish writing it until the client reads, so the request is
	// still in its handler when the signal comes. (The 8 MB text is archived
	// in parts of 1 MiB; the first, "big", is what the test asks for.)
	var big strings.Builder
	for i := 0; big.Len() < 8<<20; i++ {
		fmt.Fprintf(&big, "Line %d of a very long record of the archive, entry %x.\n\n", i, i*7919)
	}
	if err := os.WriteFile(filepath.Join(corpus, "big.txt"), []byte(big.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "serve", "--corpus", corpus, "--index", filepath.Join(dir, "index"), "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "ARCHIVIO_LOG_LEVEL=info")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
		}
	}()

	// Follow the log: the address, then "shutting down".
	addrc := make(chan string, 1)
	shutting := make(chan struct{})
	var logTail lockedBuilder
	go func() {
		urlRE := regexp.MustCompile(`url=http://(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			logTail.WriteString(line + "\n")
			if m := urlRE.FindStringSubmatch(line); m != nil {
				addrc <- m[1]
			}
			if strings.Contains(line, "shutting down") {
				close(shutting)
			}
		}
		exited <- cmd.Wait()
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not say where it listens")
	}
	// Wait until the index is ready.
	client := &http.Client{Timeout: 5 * time.Second}
	for i := 0; ; i++ {
		resp, err := client.Get("http://" + addr + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if i > 300 {
			t.Fatalf("not ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Ask for the big document and read only the start of the answer.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(64 << 10)
	if _, err := io.WriteString(conn, "GET /api/documents/big HTTP/1.1\r\nHost: archivio\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReaderSize(conn, 1024)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("start of the answer: %v\nlog:\n%s", err, logTail.String())
	}
	defer resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-shutting:
	case <-time.After(10 * time.Second):
		t.Fatal("no 'shutting down' after SIGTERM")
	}
	time.Sleep(200 * time.Millisecond) // let Shutdown close idle connections and listeners
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Errorf("server accepts new connections while shutting down")
	}
	// Now read the rest: the whole document arrives.
	var doc struct {
		ID   string `json:"id"`
		Body string `json:"body"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("request in flight at SIGTERM: status %d, err %v\nlog:\n%s", resp.StatusCode, err, logTail.String())
	}
	parts, err := indexer.Parse("big.txt", []byte(big.String()), nil)
	if err != nil || len(parts) < 2 {
		t.Fatalf("Parse(big.txt) = %d parts, %v", len(parts), err)
	}
	if doc.ID != "big" || doc.Body != parts[0].Body {
		t.Errorf("request in flight at SIGTERM: id %q, body %d bytes; want big with all %d bytes of its first part", doc.ID, len(doc.Body), len(parts[0].Body))
	}

	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("server exit: %v\nlog:\n%s", err, logTail.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not exit after SIGTERM")
	}
}

// lockedBuilder is a strings.Builder safe for one writer and one reader.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) WriteString(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
