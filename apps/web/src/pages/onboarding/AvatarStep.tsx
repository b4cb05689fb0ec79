import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { meKey } from "../../lib/me";
import type { Me, Profile } from "../../lib/types";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { uploadFile } from "./upload";

const TYPES = ["image/png", "image/jpeg", "image/webp"];
const MAX_BYTES = 5 * 1024 * 1024;

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Checked here for a quick answer; the server checks the content again (415, 413). */
function problemWith(file: File): string | null {
  if (!TYPES.includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > MAX_BYTES) return `The image is ${formatSize(file.size)}: at most 5 MB.`;
  return null;
}

/**
 * PUT /api/me/avatar with a preview of the chosen image and the upload's progress: a step of the
 * onboarding, and the Profile page's picture card (`title`) for everyone, verified or not.
 */
export function AvatarStep({ me, title = "2. Profile picture" }: { me: Me; title?: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = me.profile.displayName || me.user.username;

  // The preview's object URL is released when replaced and when the page closes.
  const previewRef = useRef<string | null>(null);
  const showPreview = (next: File | null) => {
    if (previewRef.current) URL.revokeObjectURL(previewRef.current);
    previewRef.current = next ? URL.createObjectURL(next) : null;
    setPreview(previewRef.current);
  };
  useEffect(
    () => () => {
      if (previewRef.current) URL.revokeObjectURL(previewRef.current);
    },
    [],
  );

  const choose = (chosen: File | undefined) => {
    setError(null);
    setProgress(null);
    if (!chosen) return;
    const problem = problemWith(chosen);
    setFile(problem ? null : chosen);
    showPreview(problem ? null : chosen);
    if (problem) setError(problem);
  };

  const upload = async () => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const profile = await uploadFile<Profile>("/api/me/avatar", file, ({ loaded, total }) =>
        setProgress((loaded / total) * 100),
      );
      queryClient.setQueryData<Me>(meKey, (current) => (current ? { ...current, profile } : current));
      await queryClient.invalidateQueries({ queryKey: meKey });
      setProgress(null);
      setFile(null);
      showPreview(null);
      if (input.current) input.current.value = "";
      toast.success("Your profile picture is saved.");
    } catch (caught) {
      setError(errorMessage(caught));
      setProgress(null);
    }
  };

  const uploading = progress !== null;
  return (
    <Card
      title={title}
      description="A clear picture of you. PNG, JPEG or WebP, at most 5 MB; it is cropped to a square."
    >
      <div className="flex flex-wrap items-center gap-4">
        <div className="relative">
          {preview ? (
            <img
              src={preview}
              alt="Preview of the chosen picture"
              className="size-20 rounded-full object-cover ring-1 ring-zinc-200"
            />
          ) : (
            <Avatar
              name={name}
              src={me.profile.avatarUrl}
              seed={me.user.id}
              size="lg"
              className="size-20 text-2xl"
            />
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={inputId} className="sr-only">
              Profile picture
            </label>
            <input
              ref={input}
              id={inputId}
              type="file"
              accept={TYPES.join(",")}
              className="block w-full max-w-xs text-sm text-zinc-600 file:mr-3 file:h-8 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-50"
              onChange={(event) => choose(event.target.files?.[0])}
              disabled={uploading}
            />
            <Button variant="primary" onClick={() => void upload()} disabled={!file} loading={uploading}>
              Upload picture
            </Button>
          </div>
          {file ? (
            <p className="text-[13px] text-zinc-500">
              {file.name} · {formatSize(file.size)}
            </p>
          ) : me.profile.avatarUrl ? (
            <p className="text-[13px] text-emerald-700">
              Your picture is saved. Choose another to replace it.
            </p>
          ) : null}
          {progress !== null ? (
            <div className="flex items-center gap-2">
              <ProgressBar
                value={progress}
                label="Upload progress"
                tone="accent"
                className="max-w-xs flex-1"
              />
              <span className="text-[13px] text-zinc-600 tabular-nums">{Math.round(progress)}%</span>
            </div>
          ) : null}
          {error ? <Alert tone="error">{error}</Alert> : null}
        </div>
      </div>
    </Card>
  );
}
