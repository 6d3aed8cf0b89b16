import { z } from 'zod/mini';
import type { WithToken } from './app-connections';
import { isNotFound, type InfisicalCall } from './http';

/** An Infisical project the identity is a member of, with its environments (docs/contracts.md A.11). */
export interface InfisicalProject {
  id: string;
  name: string;
  slug: string;
  environments: { id: string; name: string; slug: string }[];
}

const environmentSchema = z.looseObject({ id: z.string(), name: z.string(), slug: z.string() });
const projectSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  slug: z.optional(z.string()),
  environments: z._default(z.array(environmentSchema), []),
});

/** The projects endpoint (docs/contracts.md A.11): secret-manager projects only, where syncs and project connections live. */
export function createProjects(call: InfisicalCall, withToken: WithToken) {
  return {
    /**
     * The secret-manager projects the identity can see, by name. Read entry by entry, like the
     * connections list: a project in a shape this build does not know is left out, not the list.
     * An instance without the endpoint (an old build: 404) has none to offer.
     */
    async list(): Promise<InfisicalProject[]> {
      let body: { projects: unknown[] };
      try {
        body = await withToken((token) => call('/api/v1/projects?type=secret-manager', { method: 'GET', token }, z.looseObject({ projects: z.array(z.unknown()) })));
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return body.projects
        .flatMap((entry) => {
          const parsed = projectSchema.safeParse(entry);
          if (!parsed.success) return [];
          const { id, name, slug, environments } = parsed.data;
          return [{ id, name, slug: slug ?? '', environments: environments.map((e) => ({ id: e.id, name: e.name, slug: e.slug })) }];
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export type Projects = ReturnType<typeof createProjects>;
