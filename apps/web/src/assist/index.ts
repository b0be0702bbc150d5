/**
 * The assist library in the workspace: the canned-reply picker for the composer (with its
 * hook and the send guard), and the knowledge panel for the details pane.
 */
export { CannedReplyPicker, type CannedReplyPickerHandle } from "./canned-reply-picker.tsx";
export { KnowledgePanel } from "./knowledge-panel.tsx";
export { MarkdownView } from "./markdown-view.tsx";
export { type PickerQuery, pickerQuery } from "./picker-query.ts";
export { checkBeforeSend, type SendCheck, sendGuardMessage } from "./send-guard.ts";
export { useCannedReplies } from "./use-canned-replies.ts";
export { useLibraryVersion } from "./use-library-changes.ts";
