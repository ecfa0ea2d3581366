// Interop with the npm `stripe` library (Stripe's own Node SDK): headers made by
// stripe.webhooks.generateTestHeaderString pass our Stripe-Signature verifier, tampered ones do
// not, and what we sign passes stripe.webhooks.constructEvent.
// Run by CTest (tests/interop/CMakeLists.txt) from the repository root:
//   VITRINA_STRIPE_TOOL=build/tests/interop/vitrina_stripe_tool node --test tests/interop/stripe.test.mjs

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

let Stripe;
try {
  ({ default: Stripe } = await import('stripe'));
} catch (e) {
  throw new Error(`cannot load npm stripe (run \`npm ci\` at the repository root): ${e.message}`);
}

const tool = process.env.VITRINA_STRIPE_TOOL;
assert.ok(tool && fs.existsSync(tool), `VITRINA_STRIPE_TOOL must name the built stripe_tool (got ${tool})`);

const stripe = new Stripe('sk_test_interop');
const secret = 'whsec_' + 'interop0secret0for0tests';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrina-stripe-interop-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function bodyFile(text) {
  const file = path.join(dir, `body-${files++}.json`);
  fs.writeFileSync(file, text);
  return file;
}

function verify(header, body, key = secret) {
  const r = spawnSync(tool, ['verify', key, header, bodyFile(body)], { encoding: 'utf8' });
  assert.notEqual(r.status, 2, r.stderr);
  return r.status === 0;
}

const payload = JSON.stringify({
  id: 'evt_interop_1', object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000),
  data: { object: { id: 'cs_test_1', object: 'checkout.session', payment_status: 'paid', amount_total: 1500,
    currency: 'eur', metadata: { vitrina_payment_id: 'pay_1', vitrina_site_id: 'site_1' } } },
});

describe('stripe signs, Vitrina verifies', () => {
  test('a header from generateTestHeaderString verifies', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verify(header, payload), true);
  });

  test('a body with one byte changed does not', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    assert.equal(verify(header, payload.replace('1500', '1501')), false);
  });

  test('another secret does not', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    assert.equal(verify(header, payload), false);
  });

  test('a changed timestamp does not', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const t = Number(header.match(/t=(\d+)/)[1]);
    assert.equal(verify(header.replace(`t=${t}`, `t=${t - 1}`), payload), false);
  });

  test('a header older than 300 s does not', () => {
    const timestamp = Math.floor(Date.now() / 1000) - 400;
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    assert.equal(verify(header, payload), false);
  });

  test('one good v1 among several is enough (a secret roll)', () => {
    const good = stripe.webhooks.generateTestHeaderString({ payload, secret });
    const other = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_old',
      timestamp: Number(good.match(/t=(\d+)/)[1]) });
    const header = good + ',' + other.split(',')[1];
    assert.equal(verify(header, payload), true);
  });
});

describe('Vitrina signs, stripe verifies', () => {
  test('constructEvent accepts our header and refuses it on another body', () => {
    const t = String(Math.floor(Date.now() / 1000));
    const r = spawnSync(tool, ['sign', secret, t, bodyFile(payload)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const header = r.stdout.trim();
    const event = stripe.webhooks.constructEvent(payload, header, secret);
    assert.equal(event.id, 'evt_interop_1');
    assert.throws(() => stripe.webhooks.constructEvent(payload + ' ', header, secret),
      (e) => e.type === 'StripeSignatureVerificationError');
  });
});
