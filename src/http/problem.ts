/**
 * RFC 9457 problem+json over HTTP. The mapping from an error to a problem document lives in `src/errors.ts`, so
 * that the CLI and the features use it without depending on the HTTP layer; the HTTP layer sends what it gives.
 */
export {
  fieldCodeOfZodIssue,
  fieldProblemSchema,
  isInternal,
  notFoundDetail,
  problemSchema,
  toProblem,
  type Problem,
} from '../errors.js';
