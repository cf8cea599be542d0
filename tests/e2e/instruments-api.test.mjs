// End-to-end tests of the instruments API (docs/api-instruments.md): list,
// definitions, scoring with worked examples, and every client error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rawRequest, rawStatus } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

async function score(id, body, contentType = 'application/json') {
  const headers = contentType ? { 'content-type': contentType } : {};
  const r = await fetch(`${srv.base}/api/v1/instruments/${id}/score`, {
    method: 'POST', headers, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: r.status, json, headers: r.headers };
}

// A 4xx JSON error with the stable code and a message a person can act on.
async function expectError(p, status, code, messagePattern) {
  const { status: s, json, headers } = await p;
  assert.equal(s, status, `status for ${code}`);
  assert.match(headers.get('content-type'), /application\/json/);
  assert.equal(json.error.code, code);
  assert.equal(json.error.status, status);
  assert.ok(json.error.message.length > 20);
  if (messagePattern) assert.match(json.error.message, messagePattern);
}

test('GET /api/v1/instruments lists the five instruments in flow order', async () => {
  const r = await fetch(srv.base + '/api/v1/instruments');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.match(r.headers.get('cache-control'), /max-age=300/);
  const j = await r.json();
  assert.deepEqual(j.instruments.map((i) => i.id), ['whooley', 'gad2', 'phq9', 'gad7', 'epds']);
  const phq9 = j.instruments[2];
  assert.equal(phq9.item_count, 9);
  assert.equal(phq9.max, 27);
  assert.equal(phq9.positive_at, 10);
  assert.equal(phq9.href, '/api/v1/instruments/phq9');
  assert.equal(phq9.score_href, '/api/v1/instruments/phq9/score');
  assert.equal(j.instruments[4].wording_available, false);
});

test('GET /api/v1/instruments/phq9: items, options with scores, bands, flag, attribution', async () => {
  const d = await (await fetch(srv.base + '/api/v1/instruments/phq9')).json();
  assert.equal(d.items.length, 9);
  assert.equal(d.items[8].id, 'phq9.9');
  assert.match(d.items[8].text, /better off dead/);
  assert.deepEqual(d.items[0].options.map((o) => [o.index, o.label, o.score]), [
    [0, 'Not at all', 0], [1, 'Several days', 1], [2, 'More than half the days', 2], [3, 'Nearly every day', 3]]);
  assert.deepEqual(d.bands.map((b) => [b.id, b.min, b.max, b.positive]), [
    ['minimal', 0, 4, false], ['mild', 5, 9, false], ['moderate', 10, 14, true],
    ['moderately-severe', 15, 19, true], ['severe', 20, 27, true]]);
  assert.deepEqual(d.flags.map((f) => [f.id, f.item, f.min_score, f.care]), [['self-harm', 'phq9.9', 1, 'urgent']]);
  assert.match(d.attribution, /educational grant from Pfizer Inc\./);
  assert.equal(d.recall_period, 'the last 2 weeks');
  assert.ok(d.sources.length > 0);
});

test('GET /api/v1/instruments/whooley has the help question, unscored, asked when positive', async () => {
  const d = await (await fetch(srv.base + '/api/v1/instruments/whooley')).json();
  assert.deepEqual(d.items[0].options.map((o) => [o.label, o.score]), [['No', 0], ['Yes', 1]]);
  assert.equal(d.followup.asked_when, 'positive');
  assert.equal(d.followup.scored, false);
  assert.deepEqual(d.followup.options.map((o) => o.id), ['yes', 'not-today', 'no']);
});

test('GET /api/v1/instruments/epds has keys but no wording', async () => {
  const d = await (await fetch(srv.base + '/api/v1/instruments/epds')).json();
  assert.equal(d.wording_available, false);
  assert.equal(d.stem, null);
  assert.equal(d.items.length, 10);
  for (const it of d.items) {
    assert.equal(it.text, null);
    for (const o of it.options) assert.equal(o.label, null);
  }
  const key = (n) => d.items[n - 1].options.map((o) => o.score);
  for (const n of [1, 2, 4]) assert.deepEqual(key(n), [0, 1, 2, 3]);
  for (const n of [3, 5, 6, 7, 8, 9, 10]) assert.deepEqual(key(n), [3, 2, 1, 0]);
  assert.deepEqual(d.threshold, { setting: 'epds_threshold', allowed: [10, 13] });
  assert.equal(d.positive_at, 13);
  assert.match(d.licence, /Royal College of Psychiatrists/);
  const body = JSON.stringify(d);
  assert.doesNotMatch(body, /topic/);
});

test('score: PHQ-9 item 9 = 1 with total 3 is minimal, flagged and urgent', async () => {
  const { status, json, headers } = await score('phq9', { answers: [1, 1, 0, 0, 0, 0, 0, 0, 1] });
  assert.equal(status, 200);
  assert.equal(headers.get('cache-control'), 'no-store');
  assert.deepEqual(
    { instrument: json.instrument, score: json.score, max: json.max, band: json.band, positive: json.positive, flags: json.flags, care: json.care },
    { instrument: 'phq9', score: 3, max: 27, band: 'minimal', positive: false, flags: ['self-harm'], care: 'urgent' });
  assert.equal(json.urgent_help.page, '/urgent-help');
  assert.ok(json.urgent_help.routes.some((r) => r.href === 'tel:999'));
  assert.ok(json.urgent_help.routes.some((r) => r.href === 'tel:116123'));
});

test('score: worked examples for every instrument', async () => {
  const cases = [
    ['whooley', [0, 0], 0, 'negative', [], 'none'],
    ['whooley', [0, 1], 1, 'positive', [], 'non-urgent'],
    ['gad2', [1, 1], 2, 'negative', [], 'none'],
    ['gad2', [2, 1], 3, 'positive', [], 'non-urgent'],
    ['phq9', [2, 2, 2, 1, 1, 1, 0, 0, 0], 9, 'mild', [], 'none'],
    ['phq9', [2, 2, 2, 2, 1, 1, 0, 0, 0], 10, 'moderate', [], 'non-urgent'],
    ['phq9', [3, 3, 3, 3, 3, 2, 2, 0, 0], 19, 'moderately-severe', [], 'non-urgent'],
    ['phq9', [3, 3, 3, 3, 3, 3, 2, 0, 0], 20, 'severe', [], 'non-urgent'],
    ['phq9', [3, 3, 3, 3, 3, 3, 3, 3, 3], 27, 'severe', ['self-harm'], 'urgent'],
    ['gad7', [1, 1, 1, 1, 0, 0, 0], 4, 'minimal', [], 'none'],
    ['gad7', [1, 1, 1, 1, 1, 0, 0], 5, 'mild', [], 'none'],
    ['gad7', [2, 2, 2, 2, 2, 2, 2], 14, 'moderate', [], 'non-urgent'],
    ['gad7', [3, 2, 2, 2, 2, 2, 2], 15, 'severe', [], 'non-urgent'],
    // EPDS, the DERIVED cases in reference clinical.md.
    ['epds', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 21, 'positive', ['self-harm'], 'urgent'],
    ['epds', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 9, 'negative', [], 'none'],
    ['epds', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 17, 'positive', ['self-harm'], 'urgent'],
    ['epds', [3, 3, 3, 3, 3, 3, 3, 3, 3, 2], 10, 'negative', ['self-harm'], 'urgent'],
    ['epds', [3, 3, 0, 3, 2, 3, 3, 3, 3, 3], 13, 'positive', [], 'non-urgent'],
  ];
  for (const [id, answers, s, band, flags, care] of cases) {
    const { status, json } = await score(id, { answers });
    assert.equal(status, 200, `${id} ${answers}`);
    assert.deepEqual([json.score, json.band, json.flags, json.care], [s, band, flags, care], `${id} ${answers}`);
    assert.equal('urgent_help' in json, care === 'urgent');
  }
});

test('score accepts a charset parameter and ignores other fields', async () => {
  const { status, json } = await score('gad2', { answers: [3, 3], note: 'x' }, 'application/json; charset=utf-8');
  assert.equal(status, 200);
  assert.equal(json.score, 6);
});

test('score errors: unknown instrument', async () => {
  await expectError(score('phq10', { answers: [0] }), 404, 'unknown_instrument', /whooley, gad2, phq9, gad7, epds/);
  const r = await fetch(srv.base + '/api/v1/instruments/phq10');
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'unknown_instrument');
});

test('score errors: wrong content type', async () => {
  await expectError(score('phq9', { answers: [0] }, 'text/plain'), 415, 'unsupported_media_type', /application\/json/);
  await expectError(score('phq9', 'answers=1', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
  await expectError(score('phq9', '{"answers":[0,0,0,0,0,0,0,0,0]}', null), 415, 'unsupported_media_type');
  await expectError(score('phq9', '{"answers":[0,0,0,0,0,0,0,0,0]}', 'application/jsonx'), 415, 'unsupported_media_type');
});

test('score errors: body that is not JSON', async () => {
  await expectError(score('phq9', '{"answers": [0, 0'), 400, 'bad_json', /not valid JSON/);
  await expectError(score('phq9', ''), 400, 'bad_json');
  await expectError(score('phq9', 'answers'), 400, 'bad_json');
  await expectError(score('phq9', '{"answers":[0],"answers":[1]}'), 400, 'bad_json');
  await expectError(score('phq9', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 400, 'bad_json');
});

test('score errors: no answers list', async () => {
  await expectError(score('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]), 400, 'answers_missing', /"answers"/);
  await expectError(score('phq9', {}), 400, 'answers_missing');
  await expectError(score('phq9', { answer: [0] }), 400, 'answers_missing');
  await expectError(score('phq9', { answers: '0,0,0' }), 400, 'answers_missing');
  await expectError(score('phq9', { answers: { 0: 1 } }), 400, 'answers_missing');
  await expectError(score('phq9', 'null'), 400, 'answers_missing');
});

test('score errors: wrong number of answers', async () => {
  await expectError(score('phq9', { answers: [0, 0, 0, 0, 0, 0, 0, 0] }), 400, 'wrong_answer_count', /9 questions.*you sent 8/);
  await expectError(score('phq9', { answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }), 400, 'wrong_answer_count', /you sent 10/);
  await expectError(score('whooley', { answers: [] }), 400, 'wrong_answer_count', /2 questions/);
  await expectError(score('epds', { answers: Array(30).fill(0) }), 400, 'wrong_answer_count');
});

test('score errors: answers that are not whole numbers', async () => {
  for (const bad of ['1', 1.5, 1.0e0 + 0.5, true, null, [1], { i: 1 }]) {
    await expectError(score('gad2', { answers: [0, bad] }), 400, 'answer_not_integer', /answers\[1\]/);
  }
  await expectError(score('gad2', '{"answers":[0, 1.0]}'), 400, 'answer_not_integer');
});

test('score errors: out-of-range option index', async () => {
  await expectError(score('phq9', { answers: [0, 0, 0, 4, 0, 0, 0, 0, 0] }), 400, 'answer_out_of_range', /answers\[3\] is 4.*0 to 3/);
  await expectError(score('phq9', { answers: [-1, 0, 0, 0, 0, 0, 0, 0, 0] }), 400, 'answer_out_of_range');
  await expectError(score('whooley', { answers: [2, 0] }), 400, 'answer_out_of_range', /0 to 1/);
  await expectError(score('epds', { answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 99999999999] }), 400, 'answer_out_of_range');
});

test('score errors: body over 4 KiB, GET on the score route, and the server stays up', async () => {
  const big = JSON.stringify({ answers: [0, 0], pad: 'x'.repeat(5000) });
  await expectError(score('gad2', big), 413, 'body_too_large');
  const raw = await rawRequest(srv.port, 'POST /api/v1/instruments/gad2/score HTTP/1.1\r\nHost: x\r\n' +
    'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
    '1400\r\n' + ' '.repeat(5120) + '\r\n0\r\n\r\n');
  // A body in chunks is refused before it is read: send it with Content-Length.
  assert.equal(rawStatus(raw), 411);
  assert.match(raw, /length_required/);
  const r = await fetch(srv.base + '/api/v1/instruments/gad2/score');
  assert.equal(r.status, 405);
  assert.equal((await r.json()).error.code, 'method_not_allowed');
  assert.ok(srv.alive());
});

test('answers sent to the API never reach the logs', async () => {
  await score('phq9', { answers: [3, 2, 1, 0, 3, 2, 1, 0, 2] });
  await new Promise((res) => setTimeout(res, 200));
  assert.match(srv.logs(), /"path":"\/api\/v1\/instruments\/phq9\/score"/);
  assert.doesNotMatch(srv.logs(), /answers/);
});
