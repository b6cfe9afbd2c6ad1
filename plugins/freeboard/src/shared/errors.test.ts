import { responseError } from '../__testUtils__/fixtures';
import { errorMessage } from './errors';

describe('errorMessage', () => {
  it('prefers the server’s message over the generic one', async () => {
    const error = await responseError(
      400,
      'InputError',
      'title: must not be empty',
    );
    expect(error.message).toMatch(/Request failed with 400/);
    expect(errorMessage(error)).toBe('title: must not be empty');
  });

  it('uses the message of other errors', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(
      'Failed to fetch',
    );
    expect(errorMessage('odd')).toBe('odd');
  });
});
