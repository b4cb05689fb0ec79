import { Badge } from "../../components/ui/Badge";
import { Icon } from "../../components/ui/Icon";

/** Verified developer or not yet, the same everywhere. */
export function VerifiedBadge({ verified }: { verified: boolean }) {
  return verified ? (
    <Badge tone="green">
      <Icon name="shield" className="size-3" />
      Verified
    </Badge>
  ) : (
    <Badge tone="amber">Not verified</Badge>
  );
}
