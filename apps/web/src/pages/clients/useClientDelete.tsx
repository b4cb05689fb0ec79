import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { clientKeys, clientsApi, type Client } from "../../api/clients";
import { useOrg } from "../../app/org";
import { Button, buttonClass } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Dialog } from "../../components/ui/Dialog";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { can } from "../projects/model";

const projects = (count: number) => `${count} project${count === 1 ? "" : "s"}`;

/**
 * Deleting a client, from its row or its page. The API offers `delete` only while the client has
 * no project; a manager of clients (`update`) who asks anyway is told why and where its projects
 * are, instead of being offered a button that fails.
 */
export function useClientDelete(onDeleted?: (client: Client) => void) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [blocked, setBlocked] = useState<Client | null>(null);

  const remove = useMutation({
    mutationFn: (client: Client) => clientsApi.remove(client.id),
    onSuccess: (_, client) => {
      toast.success(`${client.name} is deleted.`);
      void queryClient.invalidateQueries({ queryKey: clientKeys.all });
      onDeleted?.(client);
    },
    onError: (error) => toast.error(errorMessage(error), "The client was not deleted"),
  });

  /** Whether the caller is offered Delete at all: they may delete it, or manage it and must hear why not. */
  const offered = (client: Client) =>
    can(client, "delete") || (can(client, "update") && client.projectCount > 0);

  const ask = async (client: Client) => {
    if (!can(client, "delete")) {
      setBlocked(client);
      return;
    }
    const ok = await confirm({
      title: `Delete ${client.name}?`,
      body: "It has no project. This cannot be undone.",
      confirmLabel: "Delete client",
    });
    if (ok) remove.mutate(client);
  };

  const dialog = (
    <Dialog
      open={blocked !== null}
      onClose={() => setBlocked(null)}
      size="sm"
      title={blocked ? `${blocked.name} cannot be deleted` : "The client cannot be deleted"}
      footer={
        <>
          {blocked && access.can("projects.view") ? (
            <Link
              to="/o/$org/projects"
              params={{ org: org.slug }}
              search={{ client: blocked.id }}
              className={buttonClass("secondary")}
              onClick={() => setBlocked(null)}
            >
              See its projects
            </Link>
          ) : null}
          <Button variant="primary" onClick={() => setBlocked(null)} data-autofocus>
            Close
          </Button>
        </>
      }
    >
      {blocked ? (
        <p className="text-sm text-zinc-600">
          {blocked.name} has {projects(blocked.projectCount)}, whose history and payments point at it. Move{" "}
          {blocked.projectCount === 1 ? "it" : "them"} to another client or delete{" "}
          {blocked.projectCount === 1 ? "it" : "them"} first.
        </p>
      ) : null}
    </Dialog>
  );

  return { offered, ask, dialog, deleting: remove.isPending };
}
