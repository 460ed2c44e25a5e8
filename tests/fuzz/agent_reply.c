/* Fuzz harness of the agent reply decoder: any bytes from the guest through the envelope and every result decoder. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/agent/agent_codec.h"
#include "hypervisor/agent/agent_result.h"
#include "kernel/console/console.h"
#include "tests/fuzz/fuzz.h"

/* json.c needs it; the decoder never writes. */
void console_write(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
	FUZZ_CHECK(!"the decoder wrote to the console");
}

static struct json_tok toks[AGENT_TOKS_MAX];
static char big_a[AGENT_DATA_MAX + 1], big_b[AGENT_DATA_MAX + 1];

/* Every decoder a reply's result may meet; each either fills its struct in bounds or refuses. */
static void results(const struct agent_msg *m)
{
	const struct json_doc *d = &m->doc;
	char err[160];
	struct agent_hello h;
	struct agent_ct_state st;
	struct agent_image im;
	struct agent_stats s;
	struct agent_logs l;
	struct agent_exec x;
	int64_t pid, sess;
	bool killed;
	int arr;

	if (!agent_result_hello(d, m->result, &h, err, sizeof(err)))
		FUZZ_CHECK(h.protocol >= 0 && strlen(h.agent) < sizeof(h.agent));
	if (!agent_result_state(d, m->result, &st, err, sizeof(err)))
		FUZZ_CHECK(st.name[0] && st.pid >= 0 && st.pid <= INT32_MAX);
	if ((arr = agent_result_array(d, m->result, "containers", err, sizeof(err))) >= 0)
		for (int e = json_first(d, arr); e >= 0; e = json_after(d, e))
			if (!agent_result_state(d, e, &st, err, sizeof(err)))
				FUZZ_CHECK(strlen(st.name) <= AGENT_NAME_MAX);
	if ((arr = agent_result_array(d, m->result, "images", err, sizeof(err))) >= 0)
		for (int e = json_first(d, arr); e >= 0; e = json_after(d, e))
			if (!agent_result_image(d, e, &im, err, sizeof(err)))
				FUZZ_CHECK(im.size >= 0);
	if (!agent_result_stats(d, m->result, &s, err, sizeof(err)))
		FUZZ_CHECK(s.memory_bytes >= 0 && s.memory_bytes <= AGENT_JSON_UINT_MAX);
	if (!agent_result_logs(d, m->result, big_a, sizeof(big_a), &l, err, sizeof(err)))
		FUZZ_CHECK(l.len < sizeof(big_a) && l.start <= l.offset);
	if (!agent_result_exec(d, m->result, &x, big_a, big_b, sizeof(big_a), err, sizeof(err)))
		FUZZ_CHECK(x.exit_code >= -1 && x.exit_code <= 255);
	agent_result_stop(d, m->result, &killed, err, sizeof(err));
	agent_result_started(d, m->result, &pid, &sess, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_msg m;
	char err[160];

	if (size > AGENT_LINE_MAX)
		return 0;
	if (agent_decode((const char *)data, size, toks, AGENT_TOKS_MAX, &m, err, sizeof(err))) {
		FUZZ_CHECK(err[0]);
		return 0;
	}
	FUZZ_CHECK(m.doc.ntok >= 1 && m.doc.ntok <= AGENT_TOKS_MAX);
	for (uint32_t i = 0; i < m.doc.ntok; i++)
		FUZZ_CHECK(m.doc.tok[i].start + m.doc.tok[i].len <= size && m.doc.tok[i].next <= m.doc.ntok);
	if (m.kind == AGENT_MSG_REPLY && m.ok)
		results(&m);
	if (m.kind == AGENT_MSG_REPLY && !m.ok)
		FUZZ_CHECK(m.code[0] && strlen(m.code) < sizeof(m.code) && strlen(m.message) < sizeof(m.message));
	return 0;
}
