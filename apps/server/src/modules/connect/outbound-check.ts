import type { PlatformId } from "@yunxi/contracts";
import { adapterFor, checkOutbound, type OutboundContent } from "@yunxi/marketplaces";

/**
 * Why the platform would refuse this content (too long, an external link where
 * the platform forbids them …), or null when it may go. Checked before a reply is
 * stored, so the agent sees the reason at once instead of a failed delivery later.
 * Own channels (no marketplace adapter) have no such limits.
 */
export function outboundRefusal(platform: PlatformId, content: OutboundContent): string | null {
  const adapter = adapterFor(platform);
  if (!adapter) return null;
  const verdict = checkOutbound(adapter.limits, content);
  return verdict.ok ? null : verdict.message;
}
