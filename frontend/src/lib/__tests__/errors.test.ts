import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { validationDetails } from '@/lib/errors';

describe('validationDetails', () => {
  it("reads the backend's list of {field, message}", () => {
    const error = new ApiError(400, 'validation_error', 'Invalid input', {
      details: [
        { field: 'title', message: 'Field required' },
        { field: 'severity', message: 'bad' },
      ],
    });
    expect(validationDetails(error)).toEqual({ title: 'Field required', severity: 'bad' });
  });

  it('accepts an object, keeps known fields only and reduces dotted paths', () => {
    const error = new ApiError(400, 'validation_error', 'Invalid input', {
      details: { 'body.title': 'too long', other: 'x' },
    });
    expect(validationDetails(error, ['title'])).toEqual({ title: 'too long' });
  });

  it('is empty for anything that is not a 400', () => {
    expect(validationDetails(new ApiError(409, 'conflict', 'x', { details: [{ field: 'a', message: 'b' }] }))).toEqual({});
    expect(validationDetails(new Error('x'))).toEqual({});
  });
});
