import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { plantQueryKey, type Plant } from '@/lib/plant';

/** The API's limit on the CSV (chalicelib/plant/service.py MAX_CSV_BYTES). */
export const PLANT_CSV_MAX_BYTES = 512 * 1024;

/**
 * POST /api/plant/import with `text/csv` (header `site,area,line,station`, UTF-8 with or
 * without BOM; administrators) → the new tree. A file goes as its bytes, so the server — not
 * the browser — judges the encoding. Bad rows → 400 with `details: [{field: "row N", message}]`.
 */
export function importPlant(csv: string | Uint8Array<ArrayBuffer>): Promise<Plant> {
  return api.post<Plant>('/api/plant/import', undefined, { raw: { body: csv, contentType: 'text/csv; charset=utf-8' } });
}

export function useImportPlant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importPlant,
    onSuccess: async (plant) => {
      queryClient.setQueryData(plantQueryKey, plant);
      // rosters and escalation steps name lines; room lists show places by name
      await queryClient.invalidateQueries({ queryKey: plantQueryKey });
    },
  });
}
