package indexer

// Kinds of documents in the archive.
const (
	KindOpinion    = "opinion"
	KindFactsheet  = "factsheet"
	KindCommitment = "commitment"
	KindPage       = "page"
)

// Document is one archived record: an opinion, a factsheet, a commitment or a
// page. It is what parsers produce, what the index stores, and what the API
// returns. Dates are ISO 8601 calendar dates (YYYY-MM-DD); empty means unknown.
type Document struct {
	ID         string   `json:"id"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Reference  string   `json:"reference,omitempty"`  // primary identifier, e.g. "ECON-VII/038", "CDR 3529/2017", "IT0034"
	References []string `json:"references,omitempty"` // every identifier the document is known by (CELEX, OJ, CDR ...)
	Language   string   `json:"language"`             // ISO 639-1 code, e.g. "en", "it"
	Date       string   `json:"date,omitempty"`       // the document's main date (adoption, publication)
	Dates      []Dated  `json:"dates,omitempty"`      // every named date, e.g. {"adopted in plenary", "2024-11-21"}

	Rapporteur *Rapporteur `json:"rapporteur,omitempty"`
	Commission string      `json:"commission,omitempty"` // CoR commission acronym, e.g. "ECON", "SEDEC"
	Session    string      `json:"session,omitempty"`    // plenary session, e.g. "163rd plenary session, 20-21 November 2024"
	Status     string      `json:"status,omitempty"`     // e.g. "Adopted"; for commitments the completion level

	LegalBasis       string            `json:"legal_basis,omitempty"`
	ProceduralBasis  string            `json:"procedural_basis,omitempty"`
	Procedure        []Field           `json:"procedure,omitempty"`         // the procedure table, row by row
	PreviousOpinions []PreviousOpinion `json:"previous_opinions,omitempty"` // earlier CoR opinions on the subject
	// ReferenceDocs are the documents an opinion answers, by their
	// references ("COM(2025) 270"): not the opinion's own identifiers, but
	// a search for them finds it.
	ReferenceDocs []string `json:"reference_documents,omitempty"`
	// OtherText is an opinion's text outside its numbered paragraphs.
	OtherText []TextBlock `json:"other_text,omitempty"`
	KeyPoints []string    `json:"key_points,omitempty"` // factsheet key points
	Summary   string      `json:"summary,omitempty"`    // short abstract, when the source has one

	Body       string      `json:"body"` // the full text, Markdown
	Paragraphs []Paragraph `json:"paragraphs,omitempty"`
	Notes      []Note      `json:"notes,omitempty"` // footnotes, marked "[1]" in the paragraphs
	Events     []Event     `json:"events,omitempty"`
	Tags       []string    `json:"tags,omitempty"`
	URL        string      `json:"url,omitempty"` // where the document was published, if known

	Commitment *Commitment `json:"commitment,omitempty"`

	Source string `json:"source"` // corpus file it came from, slash-separated, relative to the corpus root
}

// Dated is a named date.
type Dated struct {
	Label string `json:"label"`
	Date  string `json:"date"`
}

// Field is one labelled row of a table, such as a line of an opinion's procedure table.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Rapporteur is the member of the Committee of the Regions who drafted an opinion.
type Rapporteur struct {
	Name    string `json:"name"`
	Country string `json:"country,omitempty"` // ISO 3166 alpha-2, e.g. "IT"
	Group   string `json:"group,omitempty"`   // political group acronym, e.g. "EPP"
	Role    string `json:"role,omitempty"`    // e.g. "President of the Piedmont Region"
}

// Paragraph is a numbered paragraph of an opinion.
type Paragraph struct {
	Number  int    `json:"number"`
	Section string `json:"section,omitempty"` // the heading it stands under
	Text    string `json:"text"`
}

// TextBlock is text of an opinion outside its numbered paragraphs, with its
// headings, such as its recommended amendments and their reasons.
type TextBlock struct {
	After int    `json:"after"` // the number of the paragraph it follows
	Text  string `json:"text"`  // Markdown
}

// Note is a numbered footnote of an opinion, such as the Official Journal
// reference of an act its text mentions.
type Note struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
}

// Event is one dated step of a procedure timeline.
type Event struct {
	Date  string `json:"date"`
	Title string `json:"title"`
	Text  string `json:"text,omitempty"`
}

// PreviousOpinion is an earlier opinion cited in a procedure table.
type PreviousOpinion struct {
	Title       string `json:"title"`
	OJReference string `json:"oj_reference,omitempty"` // e.g. "OJ C 498, 30/12/2022, p. 39"
}

// Commitment holds the fields specific to an Open Government Partnership commitment.
type Commitment struct {
	Identifier            string     `json:"identifier"` // e.g. "IT0034"
	ActionPlan            string     `json:"action_plan,omitempty"`
	ActionPlanID          string     `json:"action_plan_id,omitempty"` // e.g. "AP_ITA03"
	Country               string     `json:"country,omitempty"`        // country or locality
	Region                string     `json:"region,omitempty"`
	Level                 string     `json:"level,omitempty"` // "National" or "Local"
	LeadInstitutions      []string   `json:"lead_institutions,omitempty"`
	SupportingInstitution []string   `json:"supporting_institutions,omitempty"`
	Themes                []string   `json:"themes,omitempty"`
	Start                 string     `json:"start,omitempty"` // ISO date, or the source's text when it cannot be parsed
	End                   string     `json:"end,omitempty"`
	Status                string     `json:"status,omitempty"` // progress in words, e.g. "Substantial"
	Assessment            Assessment `json:"assessment,omitzero"`
}

// Assessment is what the Independent Reporting Mechanism (IRM) said of a commitment.
// Empty fields mean the source had no value (codes such as ND, NR, NA).
type Assessment struct {
	Specificity         string   `json:"specificity,omitempty"`
	Verifiable          string   `json:"verifiable,omitempty"`
	Relevance           []string `json:"relevance,omitempty"` // OGP values the commitment is relevant to
	PotentialImpact     string   `json:"potential_impact,omitempty"`
	CompletionMidTerm   string   `json:"completion_mid_term,omitempty"`
	CompletionEndOfTerm string   `json:"completion_end_of_term,omitempty"`
	Starred             string   `json:"starred,omitempty"`
	DidItOpenGovernment string   `json:"did_it_open_government,omitempty"`
	// PotentialForResults and EarlyResults are the IRM's newer ratings
	// (action plans from 2021), in place of potential impact and "did it
	// open government".
	PotentialForResults string `json:"potential_for_results,omitempty"`
	EarlyResults        string `json:"early_results,omitempty"`
}

// IsZero reports whether the IRM said nothing (it has not assessed the
// commitment); encoding/json's omitzero and the templates ask it.
func (a Assessment) IsZero() bool {
	return a.Specificity == "" && a.Verifiable == "" && len(a.Relevance) == 0 && a.PotentialImpact == "" &&
		a.CompletionMidTerm == "" && a.CompletionEndOfTerm == "" && a.Starred == "" && a.DidItOpenGovernment == "" &&
		a.PotentialForResults == "" && a.EarlyResults == ""
}
