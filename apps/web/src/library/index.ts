/** The library's admin screens (话术库, 知识库), for the admin console's tabs. */

export { KnowledgeAdmin } from "./kb-admin.tsx";
export { LibraryAdmin } from "./library-admin.tsx";
export { RepliesAdmin } from "./replies-admin.tsx";
