import { problemSchema } from './problem.js';

/** The problem responses every authenticated route may give, for the OpenAPI document. */
export const problemResponses = {
  400: problemSchema.describe('Invalid input; `fields` names each field at fault'),
  401: problemSchema.describe('Not signed in'),
  403: problemSchema.describe('Your role does not allow this'),
  404: problemSchema.describe('Not found, or not visible to you'),
  409: problemSchema.describe('Version conflict, duplicate or archived record'),
  422: problemSchema.describe('A reference or rule of the data model is broken'),
} as const;
