import { randomUUID } from "node:crypto";
import { z } from "zod";

export const newId = (): string => randomUUID();

const Uuid = z.uuid();
/** Route ids that are not UUIDs cannot exist: callers answer 404, as for another org's id. */
export const isId = (value: string): boolean => Uuid.safeParse(value).success;
