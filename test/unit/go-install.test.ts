import { isPackageLine } from '../../scripts/go-install';

describe('go-install', () => {
  it("counts `go list -deps` package lines, not Go's messages", () => {
    expect(isPackageLine('internal/abi')).toBe(true);
    expect(isPackageLine('github.com/temporalio/cli/cmd/temporal')).toBe(true);
    expect(isPackageLine('go: downloading github.com/x/y v1.0.0')).toBe(false);
    expect(isPackageLine('')).toBe(false);
  });
});
