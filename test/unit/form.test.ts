import { parseForm, FormParseError } from '../../api/stripe/form';

describe('parseForm', () => {
  it('refuses a NUL character, naming the parameter it is in', () => {
    const refusal = (text: string) => {
      try {
        parseForm(text);
      } catch (error) {
        return error instanceof FormParseError ? error.param : 'not a FormParseError';
      }
      return 'accepted';
    };
    expect(refusal('query=number%3A%22%00%22')).toBe('query');
    expect(refusal('metadata[note]=a%00b')).toBe('metadata[note]');
    expect(refusal('lines[0][description]=%00')).toBe('lines[0][description]');
    // In a name, qs would silently drop what follows the brackets: refused outright.
    expect(refusal('metadata[note]%00=x')).toBeUndefined();
  });

  it('reads flat fields', () => {
    expect(parseForm('customer=cus_123&auto_advance=true')).toEqual({
      customer: 'cus_123',
      auto_advance: 'true',
    });
  });

  it('reads bracketed objects as Stripe encodes metadata', () => {
    expect(parseForm('metadata[order]=42&metadata[note]=hello%20world')).toEqual({
      metadata: { order: '42', note: 'hello world' },
    });
  });

  it('reads indexed arrays of objects as the stripe client sends lines', () => {
    const parsed = parseForm('lines[0][amount]=100&lines[0][description]=a&lines[1][amount]=200');
    expect(parsed).toEqual({ lines: [{ amount: '100', description: 'a' }, { amount: '200' }] });
  });

  it('reads expand[] and expand[0] the same way', () => {
    expect(parseForm('expand[]=customer&expand[]=lines.data')).toEqual({
      expand: ['customer', 'lines.data'],
    });
    expect(parseForm('expand[0]=customer&expand[1]=lines.data')).toEqual({
      expand: ['customer', 'lines.data'],
    });
  });

  it('keeps empty strings, which unset a field in Stripe', () => {
    expect(parseForm('description=&metadata=')).toEqual({ description: '', metadata: '' });
  });

  it('keeps 250 indexed lines as an array', () => {
    const text = Array.from({ length: 250 }, (_, i) => `lines[${i}][amount]=${i}`).join('&');
    const parsed = parseForm(text) as { lines: unknown[] };
    expect(Array.isArray(parsed.lines)).toBe(true);
    expect(parsed.lines).toHaveLength(250);
  });

  it('decodes plus signs and percent escapes', () => {
    expect(parseForm('name=Jenny+Rosen&email=j%2Br%40example.com')).toEqual({
      name: 'Jenny Rosen',
      email: 'j+r@example.com',
    });
  });

  it('does not let a body set prototype properties', () => {
    const parsed = parseForm('__proto__[polluted]=yes&constructor[prototype][x]=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBeNull();
  });

  it('refuses brackets nested deeper than any Stripe parameter', () => {
    expect(() => parseForm('a[b][c][d][e][f][g][h][i][j]=1')).toThrow(FormParseError);
  });
});
