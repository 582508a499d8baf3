// Postgres away answers 503 (retry later), whatever way the driver reports it; other failures
// stay 500s.
import { toErrorData } from '../../../api/stripe/errors';

function systemError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
}

describe('toErrorData for a database that is away', () => {
  it.each([
    ['a refused TCP connection', systemError('ECONNREFUSED', 'connect')],
    ['a reset connection', systemError('ECONNRESET', 'read')],
    ['its Unix socket gone', systemError('ENOENT', 'connect')],
    ['a closed Unix socket written to', systemError('EPIPE', 'write')],
    ['an admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a server starting up', Object.assign(new Error('starting up'), { code: '57P03' })],
    ['a full pool', new Error('Knex: Timeout acquiring a connection. The pool is probably full.')],
  ])('answers 503 for %s', (_name, error) => {
    expect(toErrorData(error)).toMatchObject({ status: 503, type: 'api_error' });
  });

  it('answers 500 for a missing file, which is no database outage', () => {
    expect(toErrorData(systemError('ENOENT', 'open'))).toMatchObject({ status: 500, type: 'api_error' });
  });
});
