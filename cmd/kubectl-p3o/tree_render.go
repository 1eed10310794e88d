/*
Copyright 2026 The p3o-operator Authors.
SPDX-License-Identifier: Apache-2.0
*/

package main

import (
	"io"
	"strconv"

	"p3o.dev/p3o-operator/internal/words"
)

// writeTree writes trees as an aligned table with box-drawing prefixes.
// Unless showAll, the Green projects among a node's children (attached
// normally) are collapsed into one count line, as clusterctl describe does.
func writeTree(w io.Writer, p printer, trees []*Node, showAll bool) error {
	t := &table{header: []string{"NAME", "PHASE", "HEALTH", "COMPLIANT", "PROJECTS", "RANK", "PRIORITY", "BUDGET", "FORECAST", "REASON"}, healthCol: 2}
	for _, n := range trees {
		addRows(t, n, n.Namespace, "", "", showAll)
	}
	return t.write(w, p)
}

// addRows adds n's row and those of its visible children. prefix precedes
// n's own name; childPrefix precedes its children's branches.
func addRows(t *table, n *Node, rootNamespace, prefix, childPrefix string, showAll bool) {
	if n.Loop {
		t.add(prefix+label(n, rootNamespace)+" [shown above]", "", "", "", "", "", "", "", "", "")
		return
	}
	t.add(prefix+label(n, rootNamespace), orDash(phaseCell(n)), orDash(n.Health), orDash(n.Compliant), orDash(projectsCell(n)),
		orDash(rankCell(n.Rank)), orDash(priorityCell(n.Priority)), moneyCell(n.Budget, n.Currency), moneyCell(n.Forecast, n.Currency), reasonCell(n))
	visible, green := n.Children, 0
	if !showAll {
		visible = nil
		for _, c := range n.Children {
			if collapsible(c) {
				green++
			} else {
				visible = append(visible, c)
			}
		}
	}
	for i, c := range visible {
		last := i == len(visible)-1 && green == 0
		branch, next := "├─", "│ "
		if last {
			branch, next = "└─", "  "
		}
		addRows(t, c, rootNamespace, childPrefix+branch, childPrefix+next, showAll)
	}
	if green > 0 {
		t.add(childPrefix+"└─"+greenLine(green), "", "", "", "", "", "", "", "", "")
	}
}

// collapsible is a Green project attached the ordinary way.
func collapsible(n *Node) bool {
	return n.Kind == "Project" && n.Health == "Green" && n.Attachment == nil && n.Via == "" && len(n.Children) == 0 && n.DependenciesAtRisk == 0
}

// greenLine stands for the Green projects a tree leaves out.
func greenLine(n int) string {
	return "… " + words.Count(n, "Green project", "Green projects")
}

// label is "Kind/name", with the namespace when it is not the root's and
// markers for what is out of the ordinary.
func label(n *Node, rootNamespace string) string {
	s := n.Kind + "/" + n.Name
	if n.Namespace != rootNamespace {
		s += " (" + n.Namespace + ")"
	}
	if n.Via != "" {
		s += " [" + n.Via + "]"
	}
	if n.Loop {
		return s
	}
	if n.Attachment != nil {
		s += " [" + n.Attachment.Reason + "]"
	}
	if n.Retired {
		s += " [Retired]"
	}
	if n.DependenciesAtRisk > 0 {
		s += " [" + words.Count(n.DependenciesAtRisk, "dependency", "dependencies") + " at risk]"
	}
	return s
}

// phaseCell is a Programme's or Project's phase, or an Office's type.
func phaseCell(n *Node) string {
	if n.Type != "" {
		return n.Type
	}
	return n.Phase
}

func projectsCell(n *Node) string {
	if n.Projects == nil {
		return ""
	}
	return strconv.Itoa(int(*n.Projects))
}

// reasonCell says why a node is not Green, or why it is not attached.
func reasonCell(n *Node) string {
	if n.Attachment != nil {
		if n.Attachment.Message != "" {
			return n.Attachment.Reason + ": " + n.Attachment.Message
		}
		return n.Attachment.Reason
	}
	if n.Health == "Green" {
		return ""
	}
	return n.Reason
}

// rankCell is a rank computed by the operator; "" when there is none.
func rankCell(rank *int32) string {
	if rank == nil {
		return ""
	}
	return strconv.Itoa(int(*rank))
}

// priorityCell is a person-set spec.priority; "" when unset.
func priorityCell(priority int32) string {
	if priority == 0 {
		return ""
	}
	return strconv.Itoa(int(priority))
}
