import type { Messages } from "./zh-CN.ts";

export const enUS: Messages = {
  "app.name": "Yunxi",
  "app.nameLatin": "云席",
  "app.tagline": "One workspace for buyers on every marketplace",

  "login.title": "Sign in to Yunxi",
  "login.email": "E-mail",
  "login.emailPlaceholder": "you@example.com",
  "login.emailRequired": "Enter your e-mail",
  "login.emailInvalid": "This is not a valid e-mail address",
  "login.password": "Password",
  "login.passwordRequired": "Enter your password",
  "login.submit": "Sign in",
  "login.failed": "Sign-in failed",

  "header.logout": "Sign out",
  "header.language": "Language",
  "header.org": "Organization",

  "role.owner": "Owner",
  "role.admin": "Admin",
  "role.supervisor": "Supervisor",
  "role.agent": "Agent",

  "connection.connecting": "Connecting…",
  "connection.connected": "Connected",
  "connection.reconnecting": "Reconnecting…",
  "connection.offline": "Offline",

  "conversations.title": "Conversations",
  "conversations.allStores": "All stores",
  "conversations.storeFilter": "Filter by store",
  "conversations.empty": "No conversations",
  "conversations.loadFailed": "Could not load conversations",
  "conversations.loadingMore": "Loading more…",
  "conversations.count": "{count} conversations",
  "conversations.unread": "{count} unread",
  "conversations.retry": "Reload",

  "status.open": "Open",
  "status.pending": "Pending",
  "status.resolved": "Resolved",

  "thread.placeholder": "Pick a conversation on the left to start",
  "thread.back": "Back to conversations",
  "thread.empty": "No messages yet",
  "thread.loadFailed": "Could not load messages",
  "thread.status": "Status",
  "thread.statusFailed": "Could not change the status",
  "thread.buyer": "Buyer",
  "thread.newMessages": "New messages",

  "message.pending": "Sending",
  "message.sent": "Sent",
  "message.failed": "Not sent",
  "message.retry": "Retry",
  "message.kind.image": "Image",
  "message.kind.product_card": "Product card",
  "message.kind.order_card": "Order card",
  "message.sender.bot": "Bot",
  "message.sender.agent": "Agent",

  "composer.placeholder": "Type a reply — Enter to send, Shift+Enter for a new line",
  "composer.send": "Send",
  "composer.tooLong": "A message can be at most {max} characters",

  "details.title": "Details",
  "details.customer": "Buyer",
  "details.buyerId": "Buyer account",
  "details.source": "Source",
  "details.createdAt": "Created",
  "details.firstResponseAt": "First response",
  "details.lastInboundAt": "Buyer last wrote",
  "details.none": "—",

  "time.justNow": "just now",

  "errors.network": "Network error — check your connection and try again",
  "errors.invalidResponse": "The server sent data the app does not understand",
  "errors.unknown": "Something went wrong, please try again",
  "errors.sessionExpired": "Your session has expired, please sign in again",
};
