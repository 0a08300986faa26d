// Reads the TRX files that `dotnet test --logger trx` wrote and prints, last in the run's output,
// every failed test with the first lines of its message, then one line of counts over every test
// project. CI keeps only the tail of a run, so the failures must be there, not only in the middle.
// Usage: node scripts/trx-summary.cjs <results-directory>
'use strict';
const fs = require('fs');
const path = require('path');

const MessageLines = 6;

function unescapeXml(text) {
  return text
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&amp;/g, '&');
}

function attribute(tag, name) {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeXml(match[1]) : undefined;
}

// Counts and failures of one TRX document's text.
function summarise(xml) {
  const counters = /<Counters\s[^>]*>/.exec(xml);
  const count = (name) => Number((counters && attribute(counters[0], name)) || 0);
  const failures = [];
  const result = /<UnitTestResult\s([^>]*?)(\/>|>([\s\S]*?)<\/UnitTestResult>)/g;
  for (let m; (m = result.exec(xml)) !== null;) {
    const tag = ' ' + m[1];
    if (attribute(tag, 'outcome') !== 'Failed') continue;
    const body = m[3] || '';
    const message = /<Message>([\s\S]*?)<\/Message>/.exec(body);
    failures.push({
      name: attribute(tag, 'testName'),
      duration: attribute(tag, 'duration'),
      message: message ? unescapeXml(message[1]).split(/\r?\n/).slice(0, MessageLines).join('\n') : '',
    });
  }
  return {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('total') - count('executed'),
    failures,
  };
}

function summariseDirectory(directory) {
  const total = { passed: 0, failed: 0, skipped: 0, failures: [] };
  if (!fs.existsSync(directory)) return total;
  for (const file of fs.readdirSync(directory).filter((f) => f.endsWith('.trx')).sort()) {
    const one = summarise(fs.readFileSync(path.join(directory, file), 'utf8'));
    total.passed += one.passed;
    total.failed += one.failed;
    total.skipped += one.skipped;
    total.failures.push(...one.failures);
  }
  return total;
}

function report(total) {
  const lines = [];
  for (const failure of total.failures) {
    lines.push(`FAILED ${failure.name} (${failure.duration})`);
    for (const line of failure.message.split('\n')) if (line.trim()) lines.push(`    ${line}`);
  }
  lines.push(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return lines.join('\n');
}

module.exports = { summarise, summariseDirectory, report };

if (require.main === module) {
  const total = summariseDirectory(process.argv[2] || '.');
  console.log(report(total));
  // The exit code tells the caller whether any test ran at all.
  process.exit(total.passed + total.failed > 0 ? 0 : 3);
}
