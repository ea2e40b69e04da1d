// chart_check renders helm/attain the way `helm template` does and checks what comes out,
// without helm (not a Debian package): Go's text/template with sprig, and only the Helm
// built-ins the chart uses (include, toYaml, .Values, .Release, .Chart, .Capabilities,
// .Template). For each scenario below it renders every template, parses every manifest,
// and checks its structure: apiVersion and kind, the fields each kind requires, that
// selectors select the pods, that Service target ports, probe ports and NetworkPolicy
// ports are the container's, the restricted security context, the volumes the mounts
// name, and values.yaml against values.schema.json (and every value documented there).
//
//	go run chart_check.go CHART_DIR [OUT_DIR]
//
// OUT_DIR, when given, receives each scenario's manifests. Exits 1 with the problems found.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type object = map[string]interface{}

var problems []string

func fail(format string, args ...interface{}) {
	problems = append(problems, fmt.Sprintf(format, args...))
}

// ---- Rendering -------------------------------------------------------------------------

type capabilities struct{ apis map[string]bool }

func (c capabilities) Has(api string) bool { return c.apis[api] }

func toYAML(v interface{}) string {
	var out bytes.Buffer
	encoder := yaml.NewEncoder(&out)
	encoder.SetIndent(2)
	if err := encoder.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(out.String(), "\n")
}

// render returns the manifests of every template but helpers and NOTES.txt, by file.
func render(chartDir string, values object, apis map[string]bool) (map[string]string, error) {
	chartBytes, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var chart object
	if err := yaml.Unmarshal(chartBytes, &chart); err != nil {
		return nil, err
	}
	root := template.New("chart")
	funcs := sprig.TxtFuncMap()
	funcs["toYaml"] = toYAML
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var out bytes.Buffer
		err := root.ExecuteTemplate(&out, name, data)
		return out.String(), err
	}
	funcs["sha256sum"] = func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	root.Funcs(funcs).Option("missingkey=zero")
	files, _ := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	sort.Strings(files)
	base := filepath.Join(filepath.Base(chartDir), "templates")
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if _, err := root.New(filepath.Join(base, filepath.Base(file))).Parse(string(text)); err != nil {
			return nil, err
		}
	}
	out := map[string]string{}
	for _, file := range files {
		name := filepath.Base(file)
		if strings.HasPrefix(name, "_") || name == "NOTES.txt" {
			continue
		}
		data := map[string]interface{}{
			"Values":  values,
			"Release": map[string]interface{}{"Name": "attain", "Namespace": "planning", "Service": "Helm", "IsInstall": true},
			"Chart": map[string]interface{}{
				"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"],
			},
			"Capabilities": map[string]interface{}{"APIVersions": capabilities{apis}},
			"Template":     map[string]interface{}{"BasePath": base, "Name": filepath.Join(base, name)},
		}
		var text bytes.Buffer
		if err := root.ExecuteTemplate(&text, filepath.Join(base, name), data); err != nil {
			return nil, err
		}
		out[name] = text.String()
	}
	return out, nil
}

// ---- Values and the schema -------------------------------------------------------------

// merge returns base with override's keys set over it, recursively.
func merge(base, override object) object {
	out := object{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range override {
		if sub, ok := v.(object); ok {
			if baseSub, ok := out[k].(object); ok {
				out[k] = merge(baseSub, sub)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// checkSchema checks `value` against a JSON schema's subset the chart's schema uses:
// type, properties, additionalProperties, required, items, enum, minimum, maximum,
// pattern-free strings; and that every property has a description.
func checkSchema(path string, schema object, value interface{}) {
	if d, ok := schema["description"].(string); path != "" && (!ok || d == "") {
		fail("values.schema.json: %s has no description", path)
	}
	types := []string{}
	switch t := schema["type"].(type) {
	case string:
		types = append(types, t)
	case []interface{}:
		for _, x := range t {
			types = append(types, x.(string))
		}
	}
	matches := len(types) == 0
	for _, t := range types {
		switch v := value.(type) {
		case object:
			matches = matches || t == "object"
		case []interface{}:
			matches = matches || t == "array"
		case string:
			matches = matches || t == "string"
		case bool:
			matches = matches || t == "boolean"
		case int:
			matches = matches || t == "integer" || t == "number"
		case float64:
			matches = matches || t == "number" || (t == "integer" && v == float64(int64(v)))
		case nil:
			matches = matches || t == "null"
		}
	}
	if !matches {
		fail("values: %s is %T, the schema wants %v", path, value, types)
		return
	}
	if enum, ok := schema["enum"].([]interface{}); ok {
		found := false
		for _, e := range enum {
			found = found || fmt.Sprint(e) == fmt.Sprint(value)
		}
		if !found {
			fail("values: %s is %v, not one of %v", path, value, enum)
		}
	}
	if min, ok := schema["minimum"].(float64); ok {
		if n, isNumber := number(value); isNumber && n < min {
			fail("values: %s is %v, below the minimum %v", path, value, min)
		}
	}
	if max, ok := schema["maximum"].(float64); ok {
		if n, isNumber := number(value); isNumber && n > max {
			fail("values: %s is %v, above the maximum %v", path, value, max)
		}
	}
	if m, ok := value.(object); ok {
		properties, _ := schema["properties"].(object)
		for _, r := range asList(schema["required"]) {
			if _, present := m[r.(string)]; !present {
				fail("values: %s.%s is required", path, r)
			}
		}
		for k, v := range m {
			sub, known := properties[k].(object)
			if !known {
				if extra, ok := schema["additionalProperties"].(object); ok {
					checkSchema(path+"."+k, extra, v)
				} else if allowed, ok := schema["additionalProperties"].(bool); ok && !allowed {
					fail("values: %s.%s is not in values.schema.json", path, k)
				}
				continue
			}
			checkSchema(strings.TrimPrefix(path+"."+k, "."), sub, v)
		}
	}
	if items, ok := schema["items"].(object); ok {
		for i, v := range asList(value) {
			checkSchema(fmt.Sprintf("%s[%d]", path, i), items, v)
		}
	}
}

func number(v interface{}) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func asList(v interface{}) []interface{} {
	list, _ := v.([]interface{})
	return list
}

// ---- Manifests -------------------------------------------------------------------------

func get(o interface{}, path ...string) interface{} {
	for _, key := range path {
		m, ok := o.(object)
		if !ok {
			return nil
		}
		o = m[key]
	}
	return o
}

func str(o interface{}, path ...string) string {
	s, _ := get(o, path...).(string)
	return s
}

func require(where string, o object, paths ...string) {
	for _, p := range paths {
		if get(o, strings.Split(p, ".")...) == nil {
			fail("%s: %s is missing", where, p)
		}
	}
}

// selects says whether labels hold every key and value of selector.
func selects(selector, labels interface{}) bool {
	s, _ := selector.(object)
	l, _ := labels.(object)
	if len(s) == 0 {
		return false
	}
	for k, v := range s {
		if fmt.Sprint(l[k]) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

type manifest struct {
	file string
	doc  object
}

func (m manifest) where() string {
	return fmt.Sprintf("%s (%s %s)", m.file, str(m.doc, "kind"), str(m.doc, "metadata", "name"))
}

func parse(files map[string]string) []manifest {
	var out []manifest
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		decoder := yaml.NewDecoder(strings.NewReader(files[name]))
		for {
			var doc object
			err := decoder.Decode(&doc)
			if err != nil {
				if err.Error() != "EOF" {
					fail("%s: not YAML: %v", name, err)
				}
				break
			}
			if doc != nil {
				out = append(out, manifest{name, doc})
			}
		}
	}
	return out
}

var requiredByKind = map[string][]string{
	"Deployment":              {"spec.selector.matchLabels", "spec.template.metadata.labels", "spec.template.spec.containers"},
	"Service":                 {"spec.ports", "spec.selector"},
	"ConfigMap":               {"data"},
	"PodDisruptionBudget":     {"spec.selector.matchLabels", "spec.minAvailable"},
	"HorizontalPodAutoscaler": {"spec.scaleTargetRef.name", "spec.minReplicas", "spec.maxReplicas", "spec.metrics"},
	"NetworkPolicy":           {"spec.podSelector.matchLabels", "spec.policyTypes", "spec.ingress"},
	"ServiceMonitor":          {"spec.selector.matchLabels", "spec.endpoints"},
}

var apiVersionOfKind = map[string]string{
	"Deployment": "apps/v1", "Service": "v1", "ConfigMap": "v1", "PodDisruptionBudget": "policy/v1",
	"HorizontalPodAutoscaler": "autoscaling/v2", "NetworkPolicy": "networking.k8s.io/v1",
	"ServiceMonitor": "monitoring.coreos.com/v1",
}

// check checks one scenario's manifests; returns them by kind.
func check(scenario string, manifests []manifest) map[string][]object {
	byKind := map[string][]object{}
	for _, m := range manifests {
		kind := str(m.doc, "kind")
		want, known := apiVersionOfKind[kind]
		if !known {
			fail("%s: %s: unexpected kind %q", scenario, m.where(), kind)
			continue
		}
		if str(m.doc, "apiVersion") != want {
			fail("%s: %s: apiVersion %q, want %q", scenario, m.where(), str(m.doc, "apiVersion"), want)
		}
		require(scenario+": "+m.where(), m.doc, append([]string{"metadata.name", "metadata.labels"}, requiredByKind[kind]...)...)
		if len(str(m.doc, "metadata", "name")) > 63 {
			fail("%s: %s: name over 63 characters", scenario, m.where())
		}
		byKind[kind] = append(byKind[kind], m.doc)
	}
	deployments := byKind["Deployment"]
	if len(deployments) != 1 {
		fail("%s: %d Deployments, want 1", scenario, len(deployments))
		return byKind
	}
	d := deployments[0]
	podLabels := get(d, "spec", "template", "metadata", "labels")
	if !selects(get(d, "spec", "selector", "matchLabels"), podLabels) {
		fail("%s: the Deployment's selector does not select its own pods", scenario)
	}
	pod := get(d, "spec", "template", "spec").(object)
	checkPodSecurity(scenario, pod)
	containers := asList(pod["containers"])
	if len(containers) != 1 {
		fail("%s: %d containers, want 1", scenario, len(containers))
		return byKind
	}
	c := containers[0].(object)
	require(scenario+": container", c, "name", "image", "ports", "readinessProbe.grpc.port", "livenessProbe.grpc.port", "resources.limits.cpu")
	portsByName := map[string]int{}
	ports := map[int]bool{}
	for _, p := range asList(c["ports"]) {
		n, _ := number(get(p, "containerPort"))
		portsByName[str(p, "name")] = int(n)
		ports[int(n)] = true
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		n, _ := number(get(c, probe, "grpc", "port"))
		if !ports[int(n)] {
			fail("%s: %s's port %v is not a container port", scenario, probe, n)
		}
	}
	if str(c, "readinessProbe", "grpc", "service") != "readiness" {
		fail("%s: readinessProbe asks for %q, want \"readiness\"", scenario, str(c, "readinessProbe", "grpc", "service"))
	}
	if get(c, "livenessProbe", "grpc", "service") != nil {
		fail("%s: livenessProbe must ask for the server as a whole (no service)", scenario)
	}
	checkContainerSecurity(scenario, c)
	volumes := map[string]bool{}
	for _, v := range asList(pod["volumes"]) {
		volumes[str(v, "name")] = true
	}
	mounts := map[string]bool{}
	for _, m := range asList(c["volumeMounts"]) {
		if !volumes[str(m, "name")] {
			fail("%s: volumeMount %q names no volume", scenario, str(m, "name"))
		}
		mounts[str(m, "mountPath")] = true
	}
	if !mounts["/tmp"] {
		fail("%s: /tmp is not a volume (the root filesystem is read-only)", scenario)
	}
	grace, _ := number(pod["terminationGracePeriodSeconds"])
	if grace <= 0 {
		fail("%s: terminationGracePeriodSeconds missing", scenario)
	}
	for _, s := range byKind["Service"] {
		if !selects(get(s, "spec", "selector"), podLabels) {
			fail("%s: Service %s does not select the pods", scenario, str(s, "metadata", "name"))
		}
		for _, p := range asList(get(s, "spec", "ports")) {
			if _, ok := portsByName[str(p, "targetPort")]; !ok {
				fail("%s: Service %s targets port %q, not a container port's name", scenario, str(s, "metadata", "name"), str(p, "targetPort"))
			}
		}
	}
	for _, p := range byKind["PodDisruptionBudget"] {
		if !selects(get(p, "spec", "selector", "matchLabels"), podLabels) {
			fail("%s: the PodDisruptionBudget does not select the pods", scenario)
		}
	}
	for _, h := range byKind["HorizontalPodAutoscaler"] {
		if str(h, "spec", "scaleTargetRef", "name") != str(d, "metadata", "name") || str(h, "spec", "scaleTargetRef", "kind") != "Deployment" {
			fail("%s: the HPA does not scale the Deployment", scenario)
		}
		lo, _ := number(get(h, "spec", "minReplicas"))
		hi, _ := number(get(h, "spec", "maxReplicas"))
		if lo < 1 || lo > hi {
			fail("%s: the HPA's replicas run from %v to %v", scenario, lo, hi)
		}
		if get(d, "spec", "replicas") != nil {
			fail("%s: with an HPA the Deployment must not set replicas", scenario)
		}
	}
	for _, n := range byKind["NetworkPolicy"] {
		if !selects(get(n, "spec", "podSelector", "matchLabels"), podLabels) {
			fail("%s: the NetworkPolicy does not select the pods", scenario)
		}
		for _, rule := range asList(get(n, "spec", "ingress")) {
			for _, p := range asList(get(rule, "ports")) {
				if _, ok := portsByName[str(p, "port")]; !ok {
					fail("%s: the NetworkPolicy opens port %v, not a container port's name", scenario, get(p, "port"))
				}
			}
		}
	}
	for _, m := range byKind["ServiceMonitor"] {
		names := map[string]bool{}
		for _, s := range byKind["Service"] {
			if selects(get(m, "spec", "selector", "matchLabels"), get(s, "metadata", "labels")) {
				for _, p := range asList(get(s, "spec", "ports")) {
					names[str(p, "name")] = true
				}
			}
		}
		for _, e := range asList(get(m, "spec", "endpoints")) {
			if !names[str(e, "port")] {
				fail("%s: the ServiceMonitor scrapes port %q, which no Service it selects has", scenario, str(e, "port"))
			}
		}
	}
	// Every environment variable the container reads from its ConfigMap exists there.
	for _, from := range asList(c["envFrom"]) {
		name := str(from, "configMapRef", "name")
		found := false
		for _, cm := range byKind["ConfigMap"] {
			found = found || str(cm, "metadata", "name") == name
		}
		if !found {
			fail("%s: envFrom names ConfigMap %q, which is not rendered", scenario, name)
		}
	}
	return byKind
}

func checkPodSecurity(scenario string, pod object) {
	want := map[string]interface{}{"runAsNonRoot": true}
	for k, v := range want {
		if !reflect.DeepEqual(get(pod, "securityContext", k), v) {
			fail("%s: pod securityContext.%s is %v, want %v", scenario, k, get(pod, "securityContext", k), v)
		}
	}
	if str(pod, "securityContext", "seccompProfile", "type") != "RuntimeDefault" {
		fail("%s: pod seccompProfile is not RuntimeDefault", scenario)
	}
	if get(pod, "automountServiceAccountToken") != false {
		fail("%s: the service account token is mounted", scenario)
	}
}

func checkContainerSecurity(scenario string, c object) {
	for k, v := range map[string]interface{}{"readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false} {
		if !reflect.DeepEqual(get(c, "securityContext", k), v) {
			fail("%s: container securityContext.%s is %v, want %v", scenario, k, get(c, "securityContext", k), v)
		}
	}
	drop := asList(get(c, "securityContext", "capabilities", "drop"))
	if len(drop) != 1 || drop[0] != "ALL" {
		fail("%s: the container does not drop ALL capabilities", scenario)
	}
}

// ---- Scenarios -------------------------------------------------------------------------

type scenario struct {
	name   string
	values string // YAML over values.yaml
	apis   []string
	expect func(byKind map[string][]object, env map[string]string)
}

func count(byKind map[string][]object, kind string, want int, scenario string) {
	if got := len(byKind[kind]); got != want {
		fail("%s: %d %s, want %d", scenario, got, kind, want)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: chart_check CHART_DIR [OUT_DIR]")
		os.Exit(2)
	}
	chartDir := os.Args[1]
	valuesBytes, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var defaults object
	if err := yaml.Unmarshal(valuesBytes, &defaults); err != nil {
		fmt.Fprintln(os.Stderr, "values.yaml:", err)
		os.Exit(1)
	}
	schemaBytes, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var schema object
	if err := json.Unmarshal(schemaBytes, &schema); err != nil {
		fmt.Fprintln(os.Stderr, "values.schema.json:", err)
		os.Exit(1)
	}

	scenarios := []scenario{
		{name: "defaults", expect: func(k map[string][]object, env map[string]string) {
			for kind, n := range map[string]int{"Deployment": 1, "Service": 1, "ConfigMap": 1, "PodDisruptionBudget": 1, "NetworkPolicy": 1, "HorizontalPodAutoscaler": 0, "ServiceMonitor": 0} {
				count(k, kind, n, "defaults")
			}
			if _, tls := env["ATTAIN_TLS_CERT_FILE"]; tls {
				fail("defaults: TLS is on without a Secret")
			}
		}},
		{name: "production", values: `
autoscaling: {enabled: true, minReplicas: 3, maxReplicas: 12}
tls: {secretName: attain-tls, clientAuth: true}
auth: {tokenSecretName: attain-tokens}
scaleOut: {enabled: true}
serviceMonitor: {enabled: true, labels: {release: prometheus}}
networkPolicy:
  grpcFrom:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: crm}}
`, apis: []string{"monitoring.coreos.com/v1"}, expect: func(k map[string][]object, env map[string]string) {
			for kind, n := range map[string]int{"Service": 2, "HorizontalPodAutoscaler": 1, "ServiceMonitor": 1} {
				count(k, kind, n, "production")
			}
			for _, key := range []string{"ATTAIN_TLS_CERT_FILE", "ATTAIN_TLS_KEY_FILE", "ATTAIN_TLS_CLIENT_CA_FILE", "ATTAIN_AUTH_TOKEN_FILE", "ATTAIN_PEER_TOKEN_FILE", "ATTAIN_PEERS", "ATTAIN_HEALTH_LISTEN"} {
				if env[key] == "" {
					fail("production: %s is not set", key)
				}
			}
			c := get(k["Deployment"][0], "spec", "template", "spec", "containers").([]interface{})[0]
			if n, _ := number(get(c, "readinessProbe", "grpc", "port")); int(n) != 50052 {
				fail("production: with TLS the probes must use the plaintext health port, not %v", n)
			}
		}},
		{name: "ServiceMonitor without its CRD", values: "serviceMonitor: {enabled: true}", expect: func(k map[string][]object, _ map[string]string) {
			count(k, "ServiceMonitor", 0, "ServiceMonitor without its CRD")
		}},
	}
	for _, s := range scenarios {
		var override object
		if err := yaml.Unmarshal([]byte(s.values), &override); err != nil {
			fail("%s: values: %v", s.name, err)
			continue
		}
		values := merge(defaults, override)
		checkSchema("", schema, values)
		apis := map[string]bool{}
		for _, a := range s.apis {
			apis[a] = true
		}
		files, err := render(chartDir, values, apis)
		if err != nil {
			fail("%s: render: %v", s.name, err)
			continue
		}
		if len(os.Args) > 2 {
			dir := filepath.Join(os.Args[2], strings.ReplaceAll(s.name, " ", "-"))
			os.MkdirAll(dir, 0o755)
			for name, text := range files {
				os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
			}
		}
		byKind := check(s.name, parse(files))
		env := map[string]string{}
		for _, cm := range byKind["ConfigMap"] {
			for k, v := range get(cm, "data").(object) {
				env[k] = fmt.Sprint(v)
			}
		}
		s.expect(byKind, env)
		fmt.Printf("chart_check: %s: %d manifests\n", s.name, len(parse(files)))
	}
	// A wrong value is caught by the schema.
	before := len(problems)
	checkSchema("", schema, merge(defaults, object{"replicaCount": "two"}))
	if len(problems) == before {
		fail("the schema accepts replicaCount: \"two\"")
	}
	problems = problems[:before]
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "chart_check:", p)
		}
		os.Exit(1)
	}
	fmt.Println("chart_check: ok")
}
