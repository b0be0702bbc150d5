import type { LinkIdentityRequest } from "@yunxi/contracts";
import { CustomerProfile, CustomerSearchResult } from "@yunxi/contracts";
import { queryString, requestJson } from "../api/client.ts";

const enc = encodeURIComponent;

/** The customers endpoints: one buyer across platforms, and linking by hand (supervisors). */
export const customersApi = {
  /** The customer the conversation's buyer belongs to now (links move buyers between customers). */
  ofConversation: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations/${enc(conversationId)}/customer`, CustomerProfile, { signal }),
  profile: (customerId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/customers/${enc(customerId)}`, CustomerProfile, { signal }),
  search: (q: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/customers${queryString({ q })}`, CustomerSearchResult, { signal }),
  /** Moves the identity (with its conversations and orders) to this customer; answers the customer's profile. */
  link: (customerId: string, body: LinkIdentityRequest) =>
    requestJson("POST", `/api/customers/${enc(customerId)}/identities`, CustomerProfile, { body }),
  /** Takes the identity out into a customer of its own; answers this customer's profile. */
  unlink: (customerId: string, identityId: string) =>
    requestJson("DELETE", `/api/customers/${enc(customerId)}/identities/${enc(identityId)}`, CustomerProfile),
};
