import { z } from 'zod/mini';

/**
 * Short English messages for zod/mini, which ships none ("Invalid input" for everything). They end
 * up in the details of a malformed server response and of a refused message. Much smaller than
 * zod's English locale (which cost the worker ~1.1 KB gzip, docs/performance.md); schemas that users see
 * (utils/inputs.ts) carry their own sentences and never reach this.
 */
export function useShortZodMessages(): void {
  z.config({
    customError: (issue) => {
      switch (issue.code) {
        case 'invalid_type':
          return `expected ${issue.expected}, received ${issue.input === null ? 'null' : Array.isArray(issue.input) ? 'array' : typeof issue.input}`;
        case 'too_small':
          return `too small: expected ${issue.origin === 'string' ? 'length ' : ''}>= ${String(issue.minimum)}`;
        case 'too_big':
          return `too big: expected ${issue.origin === 'string' ? 'length ' : ''}<= ${String(issue.maximum)}`;
        case 'invalid_format':
          return `invalid ${issue.format}`;
        case 'invalid_value':
          return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
        default:
          return `invalid value (${issue.code})`;
      }
    },
  });
}
