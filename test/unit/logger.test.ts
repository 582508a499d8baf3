import express from 'express';
import type { AddressInfo } from 'node:net';
import { createLogger, requestLog, scrubSecrets } from '../../api/logger';

// A logger whose lines land in an array, parsed, exactly as pino wrote them.
function capturedLogger(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const SECRET_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc_-Xy';
const LIVE_KEY = 'sk_live_51Habc0DEFghiJKLmno';
const WEBHOOK_SECRET = 'whsec_Zq2nKm8yPf3VqL0aTz';
const CARD = '4242424242424242';

describe('the logger', () => {
  describe('when a line carries secrets in known fields', () => {
    it('redacts Authorization headers, secrets and card objects', () => {
      const { logger, lines } = capturedLogger();
      logger.info(
        {
          req: { headers: { authorization: `Bearer ${SECRET_KEY}`, cookie: 'session=abc' } },
          endpoint: { id: 'we_1', secret: WEBHOOK_SECRET },
          payment: { card: { number: CARD, cvc: '123', exp_month: 12 } },
          body: { card: { number: CARD } },
        },
        'with secrets',
      );
      const text = lines.join('');
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(WEBHOOK_SECRET);
      expect(text).not.toContain(CARD);
      expect(text).not.toContain('"123"');
      expect(text).not.toContain('session=abc');
      expect(text).toContain('we_1');
    });
  });

  describe('when secrets hide in free text', () => {
    it('scrubs secret keys, webhook secrets, credentials and card numbers from messages and stacks', () => {
      const { logger, lines } = capturedLogger();
      const basic = Buffer.from(`${LIVE_KEY}:`).toString('base64');
      logger.error(
        {
          err: new Error(`Invalid API Key provided: ${SECRET_KEY} (Basic ${basic})`),
          note: `whsec ${WEBHOOK_SECRET}`,
        },
        `card 4242 4242 4242 4242 and ${LIVE_KEY}`,
      );
      const text = lines.join('');
      for (const secret of [SECRET_KEY, LIVE_KEY, WEBHOOK_SECRET, basic, '4242 4242 4242 4242']) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain('sk_test_[Redacted]');
      expect(text).toContain('Invalid API Key provided');
      expect(text).toContain('"stack"');
    });

    it('leaves timestamps, amounts, ids and numbers that are not card numbers alone', () => {
      const text =
        '{"time":1732550000000,"amount":4242424242424241,"id":"in_1234567890123456789Ab","n":"1234567890123"}';
      const scrubbed = scrubSecrets(text);
      expect(scrubbed).toContain('"time":1732550000000');
      expect(scrubbed).toContain('in_1234567890123456789Ab');
      expect(scrubbed).toContain('"n":"1234567890123"'); // fails the Luhn check: not a card number
    });
  });

  it('is silent at level silent', () => {
    const { logger, lines } = capturedLogger('silent');
    logger.error('nothing');
    expect(lines).toEqual([]);
  });
});

describe('requestLog', () => {
  it('writes one line per request with its id, account, key, status and duration, and no secrets', async () => {
    const { logger, parsed } = capturedLogger();
    const app = express();
    app.use((_req, res, next) => {
      res.locals.requestId = 'req_test1';
      res.locals.account = { id: 'acct_test1' };
      next();
    });
    app.use(requestLog(logger));
    app.post('/v1/customers', (_req, res) => {
      res.status(201).json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/v1/customers?email=jenny@example.com`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Idempotency-Key': 'key-1' },
        body: `card[number]=${CARD}`,
      });
      expect(response.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the line is written on 'close'
      const lines = parsed();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        msg: 'request',
        level: 30,
        requestId: 'req_test1',
        accountId: 'acct_test1',
        idempotencyKey: 'key-1',
        method: 'POST',
        path: '/v1/customers',
        status: 201,
      });
      expect(typeof lines[0].durationMs).toBe('number');
      const text = JSON.stringify(lines);
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(CARD);
      expect(text).not.toContain('jenny@example.com');
    } finally {
      server.close();
    }
  });
});
