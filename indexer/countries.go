package indexer

import "strings"

// countryName returns the English name of an EU country code, or the code.
func countryName(code string) string {
	if n, ok := euCountries[strings.ToUpper(code)]; ok {
		return n
	}
	return code
}

// euCountries are the EU's country codes (and the United Kingdom's), with
// each country's name as the OGP data spells it ("Czech Republic", "Slovak
// Republic"), so that a rapporteur's country and a commitment's are one
// facet value.
var euCountries = map[string]string{
	"AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus", "CZ": "Czech Republic",
	"DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France", "DE": "Germany", "EL": "Greece",
	"GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LV": "Latvia", "LT": "Lithuania",
	"LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
	"SK": "Slovak Republic", "SI": "Slovenia", "ES": "Spain", "SE": "Sweden", "UK": "United Kingdom", "GB": "United Kingdom",
}

// isEUCountry reports whether name is the OGP name of a country in
// euCountries (an EU member, or the United Kingdom).
func isEUCountry(name string) bool {
	for _, n := range euCountries {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

// italianCountries are the Italian names of the countries the archive's
// documents name in English (EU members for rapporteurs, Open Government
// Partnership members for commitments), where the Italian name differs.
var italianCountries = map[string]string{
	"Azerbaijan": "Azerbaigian", "Belgium": "Belgio", "Bosnia and Herzegovina": "Bosnia ed Erzegovina",
	"Brazil": "Brasile", "Cabo Verde": "Capo Verde", "Chile": "Cile", "Cote d'Ivoire": "Costa d'Avorio",
	"Croatia": "Croazia", "Cyprus": "Cipro", "Czech Republic": "Repubblica Ceca",
	"Denmark": "Danimarca", "Dominican Republic": "Repubblica Dominicana", "Finland": "Finlandia",
	"France": "Francia", "Germany": "Germania", "Greece": "Grecia", "Hungary": "Ungheria", "Ireland": "Irlanda",
	"Israel": "Israele", "Italy": "Italia", "Jamaica": "Giamaica", "Jordan": "Giordania",
	"Kyrgyz Republic": "Kirghizistan", "Latvia": "Lettonia", "Lithuania": "Lituania", "Luxembourg": "Lussemburgo",
	"Maldives": "Maldive", "Mexico": "Messico", "Moldova": "Moldavia", "Morocco": "Marocco",
	"Netherlands": "Paesi Bassi", "New Zealand": "Nuova Zelanda", "North Macedonia": "Macedonia del Nord",
	"Norway": "Norvegia", "Papua New Guinea": "Papua Nuova Guinea", "Peru": "Perù", "Philippines": "Filippine",
	"Poland": "Polonia", "Portugal": "Portogallo", "Republic of Korea": "Repubblica di Corea",
	"Slovak Republic": "Slovacchia", "South Africa": "Sudafrica", "Spain": "Spagna",
	"Sweden": "Svezia", "Trinidad and Tobago": "Trinidad e Tobago", "Turkey": "Turchia", "Ukraine": "Ucraina",
	"United Kingdom": "Regno Unito", "United States": "Stati Uniti",
}

// CountryLabel is a country or locality, as the index holds it (in English),
// named in language lang: "Italy" is "Italia" and "Madrid, Spain" is
// "Madrid, Spagna" in Italian. Other names, and other languages, are
// returned as they are.
func CountryLabel(lang, country string) string {
	if lang != "it" {
		return country
	}
	place, name := splitLocality(country)
	if it, ok := italianCountries[name]; ok {
		return place + it
	}
	return country
}

// countriesNamed returns the countries or localities, as the index holds
// them, that the Italian name v stands for ("Madrid, Spagna" is "Madrid,
// Spain"), ignoring case; none if v is not an Italian name.
func countriesNamed(v string) []string {
	place, name := splitLocality(v)
	var out []string
	for en, it := range italianCountries {
		if strings.EqualFold(it, name) {
			out = append(out, place+en)
		}
	}
	return out
}

// splitLocality splits "Madrid, Spain" into the locality with its comma,
// "Madrid, ", and the country, "Spain".
func splitLocality(s string) (place, country string) {
	if i := strings.LastIndex(s, ", "); i >= 0 {
		return s[:i+2], s[i+2:]
	}
	return "", s
}
