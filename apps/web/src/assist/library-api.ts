import type {
  CannedReplyListQuery,
  CreateCannedReplyRequest,
  CreateCategoryRequest,
  CreateKbArticleRequest,
  KbArticleListQuery,
  LibraryKind,
  UpdateCannedReplyRequest,
  UpdateCategoryRequest,
  UpdateKbArticleRequest,
} from "@yunxi/contracts";
import {
  ApiError,
  CannedReply,
  CannedReplyList,
  CannedReplySearchResult,
  KbArticle,
  KbArticleList,
  KbAttachment,
  KbSearchResult,
  KbVersionDetail,
  KbVersionList,
  LibraryCategory,
  LibraryCategoryList,
  Recommendation,
  ReplyImportReport,
  ReplyUsage,
  TemplateContext,
} from "@yunxi/contracts";
import type { Parser } from "../api/client.ts";
import { ApiRequestError, clientErrorCodes, queryString, requestJson, requestVoid } from "../api/client.ts";

const enc = encodeURIComponent;

const ReplyContext = {
  parse: (data: unknown) => {
    const record = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    return { storeId: String(record.storeId ?? ""), context: TemplateContext.parse(record.context) };
  },
};

export type ReplySearchParams = {
  q: string;
  conversationId?: string;
  storeId?: string;
  match?: "all" | "keyword";
  limit?: number;
};

type ListParams<T> = { [K in keyof T]?: T[K] };

/** The canned replies (话术库) and knowledge base (知识库) endpoints. */
export const libraryApi = {
  /** The recommended solution beside a conversation: tag, best replies and articles, actions. */
  recommendation: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/conversations/${enc(conversationId)}/recommendation`, Recommendation, { signal }),
  searchReplies: (params: ReplySearchParams, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/replies/search${queryString(params)}`, CannedReplySearchResult, { signal }),
  /** The values the conversation gives the variables ({买家昵称}, {订单号} …). */
  replyContext: (conversationId: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/replies/context${queryString({ conversationId })}`, ReplyContext, { signal }),
  recordUsage: (id: string, conversationId?: string) =>
    requestJson("POST", `/api/library/replies/${enc(id)}/usage`, ReplyUsage, {
      body: conversationId ? { conversationId } : {},
    }),
  listReplies: (query: ListParams<CannedReplyListQuery>, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/replies${queryString(query)}`, CannedReplyList, { signal }),
  createReply: (body: CreateCannedReplyRequest) => requestJson("POST", "/api/library/replies", CannedReply, { body }),
  updateReply: (id: string, body: UpdateCannedReplyRequest) =>
    requestJson("PATCH", `/api/library/replies/${enc(id)}`, CannedReply, { body }),
  deleteReply: (id: string) => requestVoid("DELETE", `/api/library/replies/${enc(id)}`),
  /** Downloads the spreadsheet (the browser saves it). */
  exportReplies: (personal: boolean) =>
    download(
      `/api/library/replies/export${queryString({ personal: String(personal) })}`,
      personal ? "我的话术.xlsx" : "话术库.xlsx",
    ),
  importReplies: (file: File, personal: boolean, csrfToken: string) =>
    upload(
      `/api/library/replies/import${queryString({ personal: String(personal) })}`,
      file,
      csrfToken,
      ReplyImportReport,
    ),

  categories: (kind: LibraryKind, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/categories${queryString({ kind })}`, LibraryCategoryList, { signal }),
  createCategory: (body: CreateCategoryRequest) =>
    requestJson("POST", "/api/library/categories", LibraryCategory, { body }),
  updateCategory: (id: string, body: UpdateCategoryRequest) =>
    requestJson("PATCH", `/api/library/categories/${enc(id)}`, LibraryCategory, { body }),
  deleteCategory: (id: string) => requestVoid("DELETE", `/api/library/categories/${enc(id)}`),

  searchKnowledge: (
    params: { q: string; conversationId?: string; storeId?: string; limit?: number },
    signal?: AbortSignal,
  ) => requestJson("GET", `/api/library/kb/search${queryString(params)}`, KbSearchResult, { signal }),
  listArticles: (query: ListParams<KbArticleListQuery>, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/kb/articles${queryString(query)}`, KbArticleList, { signal }),
  article: (id: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/kb/articles/${enc(id)}`, KbArticle, { signal }),
  createArticle: (body: CreateKbArticleRequest) => requestJson("POST", "/api/library/kb/articles", KbArticle, { body }),
  updateArticle: (id: string, body: UpdateKbArticleRequest) =>
    requestJson("PATCH", `/api/library/kb/articles/${enc(id)}`, KbArticle, { body }),
  deleteArticle: (id: string) => requestVoid("DELETE", `/api/library/kb/articles/${enc(id)}`),
  versions: (id: string, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/kb/articles/${enc(id)}/versions`, KbVersionList, { signal }),
  version: (id: string, version: number, signal?: AbortSignal) =>
    requestJson("GET", `/api/library/kb/articles/${enc(id)}/versions/${version}`, KbVersionDetail, { signal }),
  restoreVersion: (id: string, version: number) =>
    requestJson("POST", `/api/library/kb/articles/${enc(id)}/versions/${version}/restore`, KbArticle),
  attach: (articleId: string, file: File, csrfToken: string) =>
    upload(
      `/api/library/kb/articles/${enc(articleId)}/attachments${queryString({ name: file.name })}`,
      file,
      csrfToken,
      KbAttachment,
    ),
  removeAttachment: (id: string) => requestVoid("DELETE", `/api/library/kb/attachments/${enc(id)}`),
};

async function failure(response: Response): Promise<ApiRequestError> {
  const parsed = ApiError.safeParse(await response.json().catch(() => null));
  return parsed.success
    ? new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message)
    : new ApiRequestError(response.status, "http_error", `HTTP ${response.status}`);
}

async function fetchOrFail(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...init });
  } catch (cause) {
    throw new ApiRequestError(0, clientErrorCodes.network, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw await failure(response);
  return response;
}

/** A file as the raw request body (the server reads its type from the bytes). */
async function upload<T>(path: string, file: File, csrfToken: string, parser: Parser<T>): Promise<T> {
  const response = await fetchOrFail(path, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "x-csrf-token": csrfToken, accept: "application/json" },
    body: file,
  });
  try {
    return parser.parse(await response.json());
  } catch (cause) {
    throw new ApiRequestError(response.status, clientErrorCodes.invalidResponse, String(cause));
  }
}

async function download(path: string, fallbackName: string): Promise<void> {
  const response = await fetchOrFail(path, { method: "GET" });
  const blob = await response.blob();
  const disposition = response.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = encoded ? decodeURIComponent(encoded) : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
