import { createContext, useContext } from "react";
import type { Access } from "../lib/me";
import type { OrgSummary } from "../lib/types";

export type OrgContextValue = { org: OrgSummary; access: Access };

export const OrgContext = createContext<OrgContextValue | null>(null);

/** The organization of the current page (/o/$org/…) and what the caller may do in it. */
export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error("useOrg must be used below /o/$org.");
  return value;
}
