import { PASSWORD_MIN_LENGTH } from "@cairn/shared";
import { z } from "zod";
import { TextField } from "./ui/Field";

/** Adds "repeat the password" to a schema with `newPassword`, refused when the two differ. */
export function withConfirmation<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  return schema.extend({ confirm: z.string() }).refine(
    (values) => {
      const { newPassword, confirm } = values as { newPassword?: unknown; confirm: string };
      return newPassword === confirm;
    },
    {
      path: ["confirm"],
      message: "The passwords do not match.",
    },
  );
}

/** The new password and its repetition, bound to a form built with {@link withConfirmation}. */
export function NewPasswordFields({
  form,
  repeatLabel,
  autoFocus,
}: {
  form: Parameters<typeof TextField<"newPassword" | "confirm">>[0]["form"];
  repeatLabel: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        form={form}
        name="newPassword"
        label="New password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        type="password"
        autoComplete="new-password"
        autoFocus={autoFocus}
      />
      <TextField form={form} name="confirm" label={repeatLabel} type="password" autoComplete="new-password" />
    </>
  );
}
