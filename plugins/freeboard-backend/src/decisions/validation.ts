import { z } from 'zod';
import { cursorParam, pageLimit } from '../shared/validation';

/** Query of `GET /decisions/entities/:kind/:namespace/:name/history`. */
export const decisionHistoryQuery = z
  .object({
    limit: pageLimit(20),
    cursor: cursorParam.optional(),
  })
  .strict();
