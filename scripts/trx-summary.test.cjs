'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { summarise, summariseDirectory, report } = require('./trx-summary.cjs');

const trx = (results, counters) => `<?xml version="1.0" encoding="utf-8"?>
<TestRun><Results>${results}</Results>
<ResultSummary outcome="Failed"><Counters ${counters} /></ResultSummary></TestRun>`;

const passed = '<UnitTestResult testName="A.Passes" duration="00:00:00.1" outcome="Passed" />';
const failed = `<UnitTestResult testName="A.Fails&lt;int&gt;(x: &quot;y&quot;)" duration="00:00:02.5" outcome="Failed">
<Output><ErrorInfo><Message>Assert.Equal() Failure
Expected: 1
Actual:   2</Message><StackTrace>at A.Fails()</StackTrace></ErrorInfo></Output></UnitTestResult>`;

test('a failed test is named with its message, a passed one is not', () => {
  const one = summarise(trx(passed + failed, 'total="3" executed="2" passed="1" failed="1"'));
  assert.deepStrictEqual([one.passed, one.failed, one.skipped], [1, 1, 1]);
  assert.strictEqual(one.failures.length, 1);
  assert.strictEqual(one.failures[0].name, 'A.Fails<int>(x: "y")');
  assert.match(one.failures[0].message, /^Assert\.Equal\(\) Failure\nExpected: 1\nActual: {3}2$/);
  const text = report(one);
  assert.match(text, /^FAILED A\.Fails<int>\(x: "y"\) \(00:00:02\.5\)\n {4}Assert\.Equal\(\) Failure/);
  assert.match(text, /Tests: 1 passed, 1 failed, 1 skipped$/);
  assert.doesNotMatch(text, /A\.Passes/);
});

test('the counts add up over every project', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trx-'));
  fs.writeFileSync(path.join(dir, 'a.trx'), trx(passed, 'total="1" executed="1" passed="1" failed="0"'));
  fs.writeFileSync(path.join(dir, 'b.trx'), trx(failed, 'total="1" executed="1" passed="0" failed="1"'));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a result');
  const total = summariseDirectory(dir);
  assert.deepStrictEqual([total.passed, total.failed, total.skipped, total.failures.length], [1, 1, 0, 1]);
  assert.deepStrictEqual(summariseDirectory(path.join(dir, 'missing')).passed, 0);
});
